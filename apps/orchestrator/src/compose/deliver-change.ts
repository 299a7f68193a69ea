import { execFileSync } from 'node:child_process';
import {
  buildProvenance,
  createForge,
  type PullRequestFaultPoint,
  renderPullRequestBody,
  resolveForgeChoice,
  runPullRequestStep,
} from '@orchestrator/forge';
import { commitAll, GitWorkspaceProvider, parseGitIdentity } from '@orchestrator/git';
import type { DeliveryContext, DeliveryHook, DeliveryOutcome } from '@orchestrator/kernel';
import {
  detectProjectLicence,
  loadPolicy,
  publishReview,
  reviewDiffStatically,
  reviewWithModel,
} from '@orchestrator/policy';
import type { Config, Forge, GateName, PolicyFinding, PolicyVerdict } from '@orchestrator/spec';
import { chooseCommitFiles } from './commit-files.ts';
import { deliveryStepId, type GateSettings, journaledReviewFindings, runDeliveryGate } from './delivery-gates.ts';
import { pullRequestSummary, testsCheck } from './delivery-summary.ts';
import type { SecretRedactor } from './redacting-journal-store.ts';
import { policySecretRedactor } from './secret-redactor.ts';

/** Name of the check carrying the verdicts of the policy gates. */
export const policyCheckName = 'orchestrator/policy';
/** Name of the check carrying the run's test evidence. */
export const testsCheckName = 'orchestrator/tests';

export interface DeliveryOptions {
  config: Config;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** `--forge`: forces the forge kind (default: configuration and environment). */
  forgeKind?: 'local' | 'github';
  /** Receives one line per stage (progress for the terminal). */
  onProgress?: (line: string) => void;
  /** Scans the task and the summary before the commit message and the pull request derive from them. */
  redact?: SecretRedactor;
}

/**
 * A fault hook driven by `ORCHESTRATOR_FAULT_POINT` (`after-push`, `after-pull-request-create`): the process kills
 * itself with SIGKILL there, as a crash would, and blocks until the signal lands. For crash-and-resume tests only.
 */
export function faultPointFrom(env: NodeJS.ProcessEnv): ((point: PullRequestFaultPoint) => void) | undefined {
  const target = env.ORCHESTRATOR_FAULT_POINT;
  if (target === undefined || target === '') return undefined;
  return (point) => {
    if (point !== target) return;
    process.kill(process.pid, 'SIGKILL');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  };
}

async function redactedText(redact: SecretRedactor, text: string): Promise<string> {
  return (await redact(text)).text;
}

/** Review findings are posted as comments; a model reviewer's words are redacted first, like any model output. */
function redactedFindings(redact: SecretRedactor, findings: readonly PolicyFinding[]): Promise<PolicyFinding[]> {
  return Promise.all(
    findings.map(async (finding) => ({
      ...finding,
      message: await redactedText(redact, finding.message),
      fix: await redactedText(redact, finding.fix),
    })),
  );
}

function currentBranch(repo: string): string {
  try {
    return execFileSync('git', ['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
  } catch {
    return 'main';
  }
}

function committedDiff(root: string, baseCommit: string): string {
  return execFileSync(
    'git',
    ['-c', 'core.quotePath=false', 'diff', '--no-color', '--no-ext-diff', baseCommit, 'HEAD'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
}

/** Static review, plus the model reviewer role when it is bound; reused from the journal on a resumed delivery. */
async function reviewChange(
  context: DeliveryContext,
  diff: string,
  progress: (line: string) => void,
): Promise<{ findings: PolicyFinding[]; reviewers: string[] }> {
  const reviewerRole = context.start.roles.find((binding) => binding.role === 'reviewer');
  const reviewers = [
    'the static reviewer',
    ...(reviewerRole === undefined ? [] : [`the model reviewer (${reviewerRole.provider}/${reviewerRole.model})`]),
  ];
  const earlier = journaledReviewFindings(await context.events());
  if (earlier !== undefined) return { findings: earlier, reviewers };
  const findings = reviewDiffStatically(diff);
  const model = context.modelFor('reviewer', deliveryStepId('review'));
  if (model !== undefined) {
    try {
      findings.push(...(await reviewWithModel(model, diff, { context: { task: context.start.task } })));
    } catch (error) {
      progress(
        `model reviewer failed, static findings only: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return { findings, reviewers };
}

async function setChecks(
  forge: Forge,
  number: number,
  context: DeliveryContext,
  verdicts: readonly PolicyVerdict[],
): Promise<void> {
  const warnings = verdicts.reduce(
    (total, verdict) => total + verdict.findings.filter((entry) => entry.action === 'warn').length,
    0,
  );
  await forge.setCheckStatus(number, {
    name: policyCheckName,
    state: 'success',
    description: `${verdicts.map((verdict) => `${verdict.gate} ${verdict.verdict}`).join(', ')}${warnings === 0 ? '' : ` (${warnings} warning(s))`}`,
    required: true,
  });
  await forge.setCheckStatus(number, {
    name: testsCheckName,
    ...testsCheck(context.start, await context.events()),
    required: true,
  });
}

/**
 * The delivery pipeline of a converged run, for the kernel's `deliver` hook: the pre-commit gate over the diff and
 * the commit message → `commitAll` (trailers `Orchestrator-Run`, `Orchestrator-Step: <run>/commit`, models; optional
 * `Co-authored-by`) → the pre-push gate over the committed diff → push → review (static reviewer and the `reviewer`
 * role) → the pre-PR gate over the body → the pull request, exactly once (`runPullRequestStep`, journaled `pr-open`)
 * → review comments and the required checks `orchestrator/policy`, `orchestrator/tests`, `orchestrator/review`.
 * Every verdict is journaled as `policy-verdict`. A blocking gate returns `blocked` (the kernel pauses the run with
 * `policy-blocked` and the actionable detail) before anything else happens. Every stage is idempotent, so a resumed
 * run finishes an interrupted delivery without a second commit, push or pull request.
 */
export function createDeliveryHook(options: DeliveryOptions): DeliveryHook {
  const { config } = options;
  const progress = options.onProgress ?? (() => {});
  const redact = options.redact ?? policySecretRedactor;
  return async (context): Promise<DeliveryOutcome> => {
    const { runId } = context;
    // The commit message, the PR title and body derive from the task and the journal: redacted first, whatever wrote them.
    const start = { ...context.start, task: (await redact(context.start.task)).text };
    const workspace = await new GitWorkspaceProvider({
      dataDir: options.dataDir,
      branchPrefix: config.git.branchPrefix,
    }).open({ repo: start.repo, runId, slug: start.slug });
    const { policy } = await loadPolicy(start.repo);
    const projectLicence = policy.projectLicence ?? detectProjectLicence(start.repo);
    const settings: GateSettings = {
      policy,
      root: workspace.root,
      ...(projectLicence === undefined ? {} : { projectLicence }),
    };
    const verdicts: PolicyVerdict[] = [];
    const gate = async (name: GateName, input: Parameters<typeof runDeliveryGate>[3]) => {
      const outcome = await runDeliveryGate(context, name, settings, input);
      verdicts.push(outcome.verdict);
      progress(`policy ${outcome.verdict.gate}: ${outcome.verdict.verdict}`);
      return outcome.stop;
    };

    const message = `${start.task}\n\nMade by orchestrator run ${runId}.`;
    // Only the model's edits are committed: what else changed (a test's output) is dropped or held for approval.
    const chosen = await chooseCommitFiles(context, workspace, policy.leftovers, progress);
    if (chosen.stop !== undefined) return { status: 'blocked', ...chosen.stop };
    const files = chosen.files;
    const preCommit = await gate('pre-commit', { diff: await workspace.diff(), files, commitMessage: message });
    if (preCommit !== undefined) return { status: 'blocked', ...preCommit };

    const commit = await commitAll(workspace, {
      message,
      author: { name: config.git.authorName, email: config.git.authorEmail },
      idempotencyKey: `${runId}/commit`,
      trailers: {
        'Orchestrator-Models': start.roles.map((role) => `${role.role}=${role.provider}/${role.model}`).join(', '),
      },
      ...(config.git.coAuthoredBy === undefined ? {} : { coAuthoredBy: [parseGitIdentity(config.git.coAuthoredBy)] }),
    });
    if (commit.status === 'nothing-to-commit') {
      progress('nothing to commit: the run changed no file, so no pull request is opened');
      return { status: 'delivered' };
    }
    progress(`commit ${commit.commit.slice(0, 12)} (${commit.status}) on ${workspace.branch}`);

    const pushedDiff = committedDiff(workspace.root, workspace.baseCommit);
    const prePush = await gate('pre-push', { diff: pushedDiff, files, commitMessage: message });
    if (prePush !== undefined) return { status: 'blocked', ...prePush };

    const forge = createForge(
      resolveForgeChoice({
        settings: config.forge,
        env: options.env,
        dataDir: options.dataDir,
        sourceRepository: start.repo,
        ...(options.forgeKind === undefined ? {} : { kind: options.forgeKind }),
      }),
    );
    try {
      const pushed = await forge.pushBranch({ workingCopy: workspace.root, branch: workspace.branch });
      progress(
        `pushed ${workspace.branch} (${pushed.sha.slice(0, 12)}) to the ${forge.kind} forge ${forge.repository}`,
      );

      const review = await reviewChange(context, pushedDiff, progress);
      const reviewVerdict = await runDeliveryGate(context, 'review', settings, { extraFindings: review.findings });
      const activeFindings = reviewVerdict.verdict.findings
        .filter((entry) => entry.action !== 'allow')
        .map((entry) => entry.finding);

      const summary = await redactedText(
        redact,
        pullRequestSummary({
          start,
          events: await context.events(),
          verdicts,
          reviewFindings: activeFindings,
          reviewers: review.reviewers,
        }),
      );
      // The body as it will be posted (summary, provenance block, idempotency marker) is what the pre-PR gate scans.
      const body = renderPullRequestBody({
        task: start.task,
        summary,
        provenance: buildProvenance(await context.events()),
        idempotencyKey: `${runId}:${deliveryStepId('pull-request')}`,
      });
      const prePr = await gate('pre-pr', { prBody: body });
      if (prePr !== undefined) return { status: 'blocked', ...prePr };

      const faultHook = faultPointFrom(options.env);
      const opened = await runPullRequestStep({
        journal: { read: () => context.events(), append: (_runId, events) => context.append(events) },
        stepId: deliveryStepId('pull-request'),
        forge,
        workspace: { root: workspace.root, branch: workspace.branch },
        run: {
          runId,
          task: start.task,
          baseBranch: config.git.baseBranch ?? currentBranch(start.repo),
          summary,
          labels: config.forge.labels,
          reviewers: config.forge.reviewers,
        },
        ...(faultHook === undefined ? {} : { onFaultPoint: faultHook }),
      });
      progress(`pull request #${opened.number} ${opened.journaled ? '(already open)' : 'opened'}: ${opened.url}`);

      const published = await publishReview(forge, opened.number, await redactedFindings(redact, activeFindings), {
        runKey: runId,
      });
      await setChecks(forge, opened.number, context, verdicts);
      progress(
        `review: ${activeFindings.length} finding(s), ${published.posted} comment(s) posted; ${published.check.name} ${published.check.state}`,
      );
      return { status: 'delivered' };
    } finally {
      await forge.close();
    }
  };
}
