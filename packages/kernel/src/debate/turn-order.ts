import type { ProtocolMessageKind } from '@orchestrator/spec';
import type { CompletedTurn } from '../journal/run-projection.ts';

/** The next speaker and what it must write. */
export interface NextTurn {
  role: 'architect' | 'builder' | 'critic';
  kind: ProtocolMessageKind;
}

/**
 * Turn-taking: Architect proposes → (Critic critiques the proposal, when enabled) → Builder implements → Critic
 * verifies. A `revise` sends the work back to the Builder, a `reject` back to the Architect; edits that did not apply
 * go back to the Builder with the failures; an accepted verification with open blocking risks goes to the Builder.
 */
export function nextTurn(turns: readonly CompletedTurn[], options: { critiqueProposals: boolean }): NextTurn {
  const last = turns.findLast((turn) => turn.message !== undefined);
  const message = last?.message;
  if (!last || !message) return { role: 'architect', kind: 'propose' };
  switch (message.kind) {
    case 'propose':
      return options.critiqueProposals ? { role: 'critic', kind: 'critique' } : { role: 'builder', kind: 'implement' };
    case 'critique':
      return message.verdict === 'accept'
        ? { role: 'builder', kind: 'implement' }
        : { role: 'architect', kind: 'propose' };
    case 'implement':
      return last.patch?.ok === true ? { role: 'critic', kind: 'verify' } : { role: 'builder', kind: 'implement' };
    case 'verify':
      return message.verdict === 'reject'
        ? { role: 'architect', kind: 'propose' }
        : { role: 'builder', kind: 'implement' };
  }
}
