import type { RunTests } from '@orchestrator/spec';
import type { CompletedTurn } from '../journal/run-projection.ts';
import { validRedTurn, whyNotRed } from '../test-gate/test-first.ts';

/** Extra notes for the next turn: failed edits, what to verify or critique, the acceptance test and its framework. */
export function notesFor(
  turns: readonly CompletedTurn[],
  next: { role: string; kind: string },
  tests: RunTests | undefined,
): string[] {
  const notes: string[] = [];
  const last = turns.findLast((turn) => turn.message !== undefined);
  if ((last?.message?.kind === 'implement' || last?.message?.kind === 'test') && last.patch?.ok === false) {
    const failures = last.patch.failures.map(
      (failure) => `${failure.path}: ${failure.reason} ${String(failure.message ?? '')}`,
    );
    notes.push(`Your previous edits (turn ${last.turn}) did not apply, nothing was written: ${failures.join('; ')}`);
  }
  const implementation = turns.findLast((turn) => turn.message?.kind === 'implement');
  if (next.kind === 'verify' && implementation) notes.push(`Verify the implementation of turn ${implementation.turn}.`);
  if ((next.kind === 'verify' || next.kind === 'implement') && implementation?.problem !== undefined) {
    notes.push(`The implementation of turn ${implementation.turn} cannot converge: ${implementation.problem}.`);
  }
  const proposal = turns.findLast((turn) => turn.message?.kind === 'propose');
  if (next.kind === 'critique' && proposal) notes.push(`Critique the proposal of turn ${proposal.turn}.`);
  if (next.kind === 'test' && tests?.command !== undefined) {
    notes.push(
      `The repository's tests run with \`${tests.command}\` (framework ${tests.framework ?? 'unknown'}; ${tests.reason}). ` +
        `Write the acceptance test for the plan of turn ${proposal?.turn ?? '?'}; it runs at once and must fail for the expected reason.`,
    );
    if (last?.message?.kind === 'test')
      notes.push(`Your previous test (turn ${last.turn}) was not a valid red: ${whyNotRed(last)}.`);
  }
  const red = validRedTurn(turns);
  if (next.kind === 'implement' && red?.message?.kind === 'test') {
    const target = red.message.acceptance;
    notes.push(
      `The Test-writer's acceptance test (turn ${red.turn}) fails as expected${target === undefined ? '' : ` (${target.functionName} in ${target.targetFile})`}: make it pass without changing it. The tests run again after your edits.`,
    );
  }
  return notes;
}
