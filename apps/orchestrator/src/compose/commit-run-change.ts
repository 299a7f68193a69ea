import { commitAll, GitWorkspaceProvider, parseGitIdentity } from '@orchestrator/git';
import type { DeliveryHook, DeliveryOutcome } from '@orchestrator/kernel';
import { loadPolicy } from '@orchestrator/policy';
import type { Config } from '@orchestrator/spec';
import { chooseCommitFiles } from './commit-files.ts';
import type { SecretRedactor } from './redacting-journal-store.ts';
import { policySecretRedactor } from './secret-redactor.ts';

/** Settings of the commit a converged run leaves on its branch. */
export interface CommitRunOptions {
  config: Config;
  dataDir: string;
  /** One line per stage (progress for the terminal). */
  onProgress?: (line: string) => void;
  redact?: SecretRedactor;
}

/**
 * The kernel's `deliver` hook of a run without `--open-pr`: the converged change becomes one commit on the run's
 * branch in the user's repository (only the model's edits, like a delivered commit; same idempotency key
 * `<run>/commit`, so a later `resume --open-pr` pushes this very commit). Nothing is pushed and no pull request opened.
 */
export function createCommitHook(options: CommitRunOptions): DeliveryHook {
  const { config } = options;
  const progress = options.onProgress ?? (() => {});
  const redact = options.redact ?? policySecretRedactor;
  return async (context): Promise<DeliveryOutcome> => {
    const { runId } = context;
    const task = (await redact(context.start.task)).text;
    const workspace = await new GitWorkspaceProvider({
      dataDir: options.dataDir,
      branchPrefix: config.git.branchPrefix,
    }).open({ repo: context.start.repo, runId, slug: context.start.slug });
    const { policy } = await loadPolicy(context.start.repo);
    const chosen = await chooseCommitFiles(context, workspace, policy.leftovers, progress);
    if (chosen.stop !== undefined) return { status: 'blocked', ...chosen.stop };
    const commit = await commitAll(workspace, {
      message: `${task}\n\nMade by orchestrator run ${runId}.`,
      author: { name: config.git.authorName, email: config.git.authorEmail },
      idempotencyKey: `${runId}/commit`,
      trailers: {
        'Orchestrator-Models': context.start.roles
          .map((role) => `${role.role}=${role.provider}/${role.model}`)
          .join(', '),
      },
      ...(config.git.coAuthoredBy === undefined ? {} : { coAuthoredBy: [parseGitIdentity(config.git.coAuthoredBy)] }),
    });
    if (commit.status === 'nothing-to-commit') progress('nothing to commit: the run changed no file');
    else progress(`commit ${commit.commit.slice(0, 12)} on ${workspace.branch} (git switch ${workspace.branch})`);
    return { status: 'delivered' };
  };
}
