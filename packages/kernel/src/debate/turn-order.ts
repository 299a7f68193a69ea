import type { ProtocolMessageKind } from '@orchestrator/spec';
import type { CompletedTurn } from '../journal/run-projection.ts';
import { isValidRed, needsAcceptanceTest } from '../test-gate/test-first.ts';

/** The next speaker and what it must write. */
export interface NextTurn {
  role: 'architect' | 'builder' | 'critic' | 'test-writer';
  kind: ProtocolMessageKind;
}

/** Options of `nextTurn`. */
export interface TurnOrderOptions {
  critiqueProposals: boolean;
  /** The run has a test command and a Test-writer: an acceptance test must fail (red) before the Builder implements. */
  testFirst?: boolean;
}

/**
 * Turn-taking: Architect proposes → (Critic critiques the proposal, when enabled) → (Test-writer writes a failing
 * acceptance test, when the run tests first and the plan is not documentation only) → Builder implements → Critic
 * verifies. A test that is not a valid red goes back to the Test-writer; a `revise` sends the work back to the Builder,
 * a `reject` back to the Architect; edits that did not apply go back to the Builder with the failures; an accepted
 * verification with open blocking risks or failing tests goes to the Builder.
 */
export function nextTurn(turns: readonly CompletedTurn[], options: TurnOrderOptions): NextTurn {
  const last = turns.findLast((turn) => turn.message !== undefined);
  const message = last?.message;
  if (!last || !message) return { role: 'architect', kind: 'propose' };
  const implement = (): NextTurn =>
    options.testFirst === true && needsAcceptanceTest(turns)
      ? { role: 'test-writer', kind: 'test' }
      : { role: 'builder', kind: 'implement' };
  switch (message.kind) {
    case 'propose':
      return options.critiqueProposals ? { role: 'critic', kind: 'critique' } : implement();
    case 'critique':
      return message.verdict === 'accept' ? implement() : { role: 'architect', kind: 'propose' };
    case 'test':
      return isValidRed(last) ? { role: 'builder', kind: 'implement' } : { role: 'test-writer', kind: 'test' };
    case 'implement':
      return last.patch?.ok === true ? { role: 'critic', kind: 'verify' } : { role: 'builder', kind: 'implement' };
    case 'verify':
      return message.verdict === 'reject'
        ? { role: 'architect', kind: 'propose' }
        : { role: 'builder', kind: 'implement' };
  }
}
