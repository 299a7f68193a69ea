import { isBlockingSeverity, type Risk } from '@orchestrator/spec';
import type { CompletedTurn } from '../journal/run-projection.ts';

/** A risk still open, with the turn that (last) raised it. */
export interface OpenRisk extends Risk {
  raisedAtTurn: number;
  raisedBy: string;
}

/**
 * Risks raised and not resolved since: a risk is open from the latest message that raises its id until a later
 * message lists the id in `resolvedRisks`.
 */
export function openRisks(turns: readonly CompletedTurn[]): OpenRisk[] {
  const open = new Map<string, OpenRisk>();
  for (const turn of turns) {
    const message = turn.message;
    if (!message) continue;
    for (const id of message.resolvedRisks) open.delete(id);
    for (const risk of message.risks) open.set(risk.id, { ...risk, raisedAtTurn: turn.turn, raisedBy: turn.role });
  }
  return [...open.values()];
}

/** Open risks of severity high or critical: each blocks convergence. */
export function blockingRisks(turns: readonly CompletedTurn[]): OpenRisk[] {
  return openRisks(turns).filter((risk) => isBlockingSeverity(risk.severity));
}
