import type { TestRunData } from '@orchestrator/spec';
import type { CompletedTurn } from '../journal/run-projection.ts';

/** Invalid reds in a row (wrong reason, did not apply, passed) before the run pauses with `red-test-invalid`. */
export const maxRedAttempts = 3;

const documentationPattern =
  /(^|\/)(docs?|documentation)\/|\.(md|mdx|markdown|txt|rst|adoc)$|(^|\/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS|CHANGELOG|CONTRIBUTORS)([.-][^/]*)?$/i;

/**
 * True when a plan touches documentation only (Markdown, text, LICENSE, docs/): there is no behaviour for an
 * acceptance test to prove, so the Test-writer is not asked (the existing tests still run after the change).
 */
export function isDocumentationOnly(files: readonly string[]): boolean {
  return files.length > 0 && files.every((path) => documentationPattern.test(path));
}

/** The latest test run of a turn. */
export function latestTestRun(turn: CompletedTurn | undefined): TestRunData | undefined {
  return turn?.testRuns?.at(-1);
}

/** True when the turn is a `test` turn whose red run failed for the expected reason. */
export function isValidRed(turn: CompletedTurn): boolean {
  const run = latestTestRun(turn);
  return turn.message?.kind === 'test' && run?.phase === 'red' && run.verdict?.expectedReason === true;
}

/** The Test-writer's turn whose acceptance test failed for the expected reason, if any. */
export function validRedTurn(turns: readonly CompletedTurn[]): CompletedTurn | undefined {
  return turns.findLast(isValidRed);
}

/** Before the Builder implements: an acceptance test is still needed (none is red yet, and the plan is not docs only). */
export function needsAcceptanceTest(turns: readonly CompletedTurn[]): boolean {
  if (validRedTurn(turns) !== undefined) return false;
  const proposal = turns.findLast((turn) => turn.message?.kind === 'propose')?.message;
  return !(proposal?.kind === 'propose' && isDocumentationOnly(proposal.files));
}

/** `test` turns at the end of `turns` that did not produce a valid red. */
export function invalidRedsInARow(turns: readonly CompletedTurn[]): CompletedTurn[] {
  const invalid: CompletedTurn[] = [];
  for (const turn of [...turns].reverse()) {
    if (turn.message?.kind !== 'test' || isValidRed(turn)) break;
    invalid.push(turn);
  }
  return invalid.reverse();
}

/** Why a `test` turn is not a valid red, in one sentence. */
export function whyNotRed(turn: CompletedTurn): string {
  if (turn.problem !== undefined) return turn.problem;
  if (turn.patch?.ok === false) {
    return `its edits did not apply (${turn.patch.failures.map((failure) => `${failure.path}: ${failure.reason}`).join('; ')})`;
  }
  const run = latestTestRun(turn);
  if (run === undefined) return 'it was not run';
  if (run.exitCode === 0) return `it passed before any change (\`${run.command}\` exited 0), so it proves nothing`;
  return `it failed for the wrong reason: ${run.verdict?.kind ?? 'unknown'} (${run.verdict?.explanation ?? run.summary})`;
}
