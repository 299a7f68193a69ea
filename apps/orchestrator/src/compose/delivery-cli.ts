import type { KernelRuntime, RunResult } from '@orchestrator/kernel';
import { redactSecretsInText } from '@orchestrator/policy';
import { type Config, type JournalEvent, type JournalStore, runStartDataSchema, UserError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { exitCodes, type Output } from '../output/terminal.ts';
import { createCommitHook } from './commit-run-change.ts';
import { createDeliveryHook } from './deliver-change.ts';
import { deliveryStarted } from './delivery-gates.ts';
import { openedPullRequest } from './delivery-summary.ts';
import { printRunResult } from './print-run-result.ts';

/** Adds `--open-pr` and `--forge <kind>` to `run` and `resume`. */
export function addOpenPrOptions(command: Command): Command {
  return command
    .option(
      '--open-pr',
      'when the run converges: policy gates, commit, push and a pull request with its provenance, reviewed by the static and model reviewers (local forge by default)',
    )
    .option(
      '--forge <kind>',
      'with --open-pr: force the forge, local or github (default: from configuration)',
      (value) => {
        if (value !== 'local' && value !== 'github') {
          throw new UserError({
            code: 'cli-invalid-forge',
            message: `--forge ${JSON.stringify(value)} is not a forge.`,
            hint: 'Use --forge local or --forge github.',
          });
        }
        return value;
      },
    );
}

/** True when a run asked for delivery: it bound a reviewer role (`run --open-pr`) or its delivery had begun. */
export function deliveryRequested(events: readonly JournalEvent[]): boolean {
  const start = events.find((event) => event.type === 'run-start');
  const parsed = start === undefined ? undefined : runStartDataSchema.safeParse(start.data);
  return parsed?.data?.roles.some((role) => role.role === 'reviewer') === true || deliveryStarted(events);
}

/** The runtime with the delivery hook when `enabled`, else the commit-only hook; progress on stderr in JSON mode. */
export function withDelivery(
  runtime: KernelRuntime,
  enabled: boolean,
  options: {
    loaded: { config: Config; dataDir: string; env: NodeJS.ProcessEnv };
    output: Output;
    forge?: 'local' | 'github' | undefined;
  },
): KernelRuntime {
  const { loaded, output } = options;
  const onProgress = (line: string) =>
    output.json ? process.stderr.write(`deliver: ${line}\n`) : output.line(`${pc.cyan('deliver')} ${line}`);
  // Without delivery, a converged run still leaves its change as a commit on its branch (nothing pushed).
  if (!enabled) {
    return { ...runtime, deliver: createCommitHook({ config: loaded.config, dataDir: loaded.dataDir, onProgress }) };
  }
  const deliver = createDeliveryHook({
    config: loaded.config,
    dataDir: loaded.dataDir,
    env: loaded.env,
    ...(options.forge === undefined ? {} : { forgeKind: options.forge }),
    onProgress,
  });
  return { ...runtime, deliver };
}

/**
 * Prints a run's outcome with its diff redacted (no secret reaches the terminal), the pull request it opened and how
 * to look at it, and returns the exit code: a run stopped by a policy gate exits 2, like `policy check`.
 */
export async function printDeliveredRun(
  output: Output,
  store: Pick<JournalStore, 'read'>,
  result: RunResult,
  repo: string,
): Promise<number> {
  const diff = (await redactSecretsInText(result.diff, 'diff')).text;
  const pullRequest = openedPullRequest(await store.read(result.runId));
  const shown = { ...result, diff, ...(pullRequest === undefined ? {} : { pullRequest }) };
  const code = printRunResult(output, shown);
  if (pullRequest !== undefined && result.status === 'converged') {
    output.line(`${pc.green(pc.bold(`Pull request #${pullRequest.number}`))} ${pullRequest.url}`);
    output.line(
      `  ${pc.cyan('→')} see it with its provenance: orchestrator pr show ${pullRequest.number} --repo ${repo}`,
    );
    output.line(`  ${pc.cyan('→')} verify it: orchestrator verify-provenance ${pullRequest.number} --repo ${repo}`);
  }
  return result.pause?.reason.startsWith('policy-') === true ? exitCodes.user : code;
}
