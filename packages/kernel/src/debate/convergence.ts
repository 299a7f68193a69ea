import type { RunLimits } from '@orchestrator/spec';
import type { CompletedTurn } from '../journal/run-projection.ts';
import { invalidRedsInARow, latestTestRun, maxRedAttempts, whyNotRed } from '../test-gate/test-first.ts';
import { blockingRisks } from './open-risks.ts';

/** Whether the debate has converged, and if not, why not (shown in `runs show`). */
export type ConvergenceResult = { converged: true } | { converged: false; why: string };

/**
 * Converged when the latest implementation applied cleanly, its tests (when the run has tests) passed, the latest
 * message is the Critic's verification of that implementation with verdict `accept`, and no high or critical risk is
 * open.
 */
export function evaluateConvergence(turns: readonly CompletedTurn[]): ConvergenceResult {
  const last = turns.at(-1)?.message;
  if (last?.kind !== 'verify') return { converged: false, why: 'the latest implementation is not verified yet' };
  const implementation = turns.findLast((turn) => turn.message?.kind === 'implement');
  if (!implementation) return { converged: false, why: 'nothing has been implemented' };
  if (last.targetTurn !== implementation.turn) {
    return { converged: false, why: `the verification targets turn ${last.targetTurn}, not the latest implementation` };
  }
  if (implementation.patch?.ok !== true) return { converged: false, why: 'the latest edits did not apply' };
  if (implementation.problem !== undefined) return { converged: false, why: implementation.problem };
  const tests = latestTestRun(implementation);
  if (tests !== undefined && tests.exitCode !== 0) {
    return {
      converged: false,
      why: `the tests fail after turn ${implementation.turn} (\`${tests.command}\` exited ${tests.exitCode}: ${tests.summary})`,
    };
  }
  if (last.verdict !== 'accept') return { converged: false, why: `the critic's verdict is ${last.verdict}` };
  const blocking = blockingRisks(turns);
  if (blocking.length > 0) {
    return { converged: false, why: `open ${blocking.map((risk) => `${risk.severity} risk ${risk.id}`).join(', ')}` };
  }
  return { converged: true };
}

/** A stop rule that fired: the run pauses with this reason and detail. */
export interface StopDecision {
  reason: 'turn-cap' | 'stagnation' | 'deadlock' | 'time-cap' | 'red-test-invalid';
  detail: string;
}

function sameProposal(turns: readonly CompletedTurn[]): boolean {
  const proposals = turns.filter((turn) => turn.message?.kind === 'propose');
  const [previous, latest] = proposals.slice(-2).map((turn) => turn.message);
  if (previous?.kind !== 'propose' || latest?.kind !== 'propose' || turns.at(-1)?.message !== latest) return false;
  return JSON.stringify([previous.plan, previous.files]) === JSON.stringify([latest.plan, latest.files]);
}

function sameDiff(turns: readonly CompletedTurn[]): boolean {
  const implementations = turns.filter((turn) => turn.message?.kind === 'implement');
  const [previous, latest] = implementations.slice(-2);
  return (
    previous !== undefined &&
    latest !== undefined &&
    latest === turns.at(-1) &&
    latest.diffSha256 !== undefined &&
    latest.diffSha256 === previous.diffSha256
  );
}

function rejectionsInARow(turns: readonly CompletedTurn[]): number {
  let count = 0;
  for (const turn of [...turns].reverse()) {
    const message = turn.message;
    if (message?.kind !== 'critique' && message?.kind !== 'verify') continue;
    if (message.verdict === 'accept') break;
    count += 1;
  }
  return count;
}

/**
 * Checks the stop rules before the next turn. `windowTurns` are the turns since the run was last resumed from a
 * pause (a human looked at it, so stagnation and deadlock count afresh); the turn cap counts every turn.
 */
export function evaluateStopRules(input: {
  allTurns: readonly CompletedTurn[];
  windowTurns: readonly CompletedTurn[];
  limits: RunLimits;
  minutesActive: number;
}): StopDecision | undefined {
  const { allTurns, windowTurns, limits } = input;
  if (sameProposal(windowTurns)) {
    return {
      reason: 'stagnation',
      detail: 'The Architect made the same proposal twice in a row. Edit the task or the proposal, then resume.',
    };
  }
  if (sameDiff(windowTurns)) {
    return {
      reason: 'stagnation',
      detail: 'Two implementations in a row left the same diff. Look at the last critique and edits, then resume.',
    };
  }
  const invalidReds = invalidRedsInARow(windowTurns);
  const lastInvalid = invalidReds.at(-1);
  if (lastInvalid !== undefined && invalidReds.length >= maxRedAttempts) {
    return {
      reason: 'red-test-invalid',
      detail: `The Test-writer's acceptance test did not fail for the expected reason ${invalidReds.length} times in a row; the last one (turn ${lastInvalid.turn}): ${whyNotRed(lastInvalid)}. Fix the test in the worktree or the task, then resume.`,
    };
  }
  const rejections = rejectionsInARow(windowTurns);
  if (rejections >= limits.maxRejections) {
    return {
      reason: 'deadlock',
      detail: `The Critic did not accept ${rejections} times in a row (limit ${limits.maxRejections}). Settle the disagreement, then resume.`,
    };
  }
  if (allTurns.length >= limits.maxTurns) {
    return {
      reason: 'turn-cap',
      detail: `The debate used its ${limits.maxTurns} turns without converging. Resume with a higher --max-turns to continue.`,
    };
  }
  if (input.minutesActive >= limits.maxMinutes) {
    return {
      reason: 'time-cap',
      detail: `The run has been active ${Math.floor(input.minutesActive)} minutes (limit ${limits.maxMinutes}).`,
    };
  }
  return undefined;
}
