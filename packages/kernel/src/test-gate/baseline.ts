import {
  defaultSizeLimits,
  OrchestratorError,
  type RunStartData,
  type TestTools,
  type Workspace,
} from '@orchestrator/spec';
import type { RunJournal } from '../journal/run-journal.ts';
import type { RunState } from '../journal/run-projection.ts';
import { isTesting, runTestPhase } from './run-tests.ts';

/**
 * True when the run has tests and nothing is edited yet, and the baseline did not pass yet: the untouched worktree's
 * tests must pass first, or a red could not be told apart from an old failure and green could never be reached.
 */
export function needsBaseline(state: RunState): boolean {
  if (!isTesting(state.start?.tests) || state.baselineTests?.exitCode === 0) return false;
  const editing = state.openTurn?.message?.kind;
  return editing !== 'implement' && editing !== 'test' && state.turns.every((turn) => turn.patch === undefined);
}

/**
 * Runs the baseline (phase `check`, no turn) and returns the pause to record when it fails or cannot run; the run
 * proceeds when it passes. A failing baseline is run again when the paused run is resumed.
 */
export async function runBaseline(input: {
  tools: TestTools | undefined;
  start: RunStartData;
  workspace: Workspace;
  journal: RunJournal;
}): Promise<{ reason: string; detail: string } | undefined> {
  const tests = input.start.tests;
  if (!isTesting(tests)) return undefined;
  if (input.tools === undefined) {
    return {
      reason: 'sandbox-error',
      detail: `This run tests its changes with \`${tests.command}\`, but this runtime has no sandbox. Resume it from the CLI (orchestrator resume).`,
    };
  }
  try {
    const run = await runTestPhase({
      tools: input.tools,
      tests,
      workspace: input.workspace,
      journal: input.journal,
      phase: 'check',
      diskQuotaBytes: input.start.limits.testDiskQuotaBytes ?? defaultSizeLimits.testDiskQuotaBytes,
    });
    if (run.exitCode === 0) return undefined;
    return {
      reason: 'tests-failing',
      detail: `The repository's tests fail before any change (\`${run.command}\` exited ${run.exitCode}: ${run.summary}). A failing acceptance test could not be told apart from them. Fix them on the base branch (dependencies must be installed: the sandbox has no network), or set sandbox.testCommand to a passing command, then resume.${run.outputTail === undefined ? '' : `\nLast lines of its output:\n${run.outputTail}`}`,
    };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (OrchestratorError.isInstance(error) && error.code === 'test-disk-quota') {
      return { reason: error.code, detail: `${detail} ${error.hint ?? ''}`.trim() };
    }
    return { reason: 'sandbox-error', detail: `The tests could not run: ${detail}` };
  }
}
