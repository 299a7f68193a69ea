import type { ModelCallStartData } from '@orchestrator/spec';
import { runTurn, type TurnContext, type TurnOutcome } from '../debate/run-turn.ts';
import type { NextTurn } from '../debate/turn-order.ts';
import { type CompletedTurn, foldRunEvents, type RunState } from '../journal/run-projection.ts';
import type { RunControlTracker } from './run-control-tracker.ts';

/** Pause reason of a run waiting for a human's decision on an `approval-request`. */
export const approvalPauseReason = 'approval-required';

/** What the debate loop does after honouring operators' requests at a step boundary. */
export type StepBoundary =
  /** Stop driving: the run is paused (by an operator, or for an approval) or ended (an approval was rejected). */
  | { action: 'stop' }
  /** A re-run was played; look again before the next turn. */
  | { action: 'played' }
  /** Nothing to honour: play the next turn. */
  | { action: 'continue' };

/** Steps whose re-run would apply edits on top of later ones; the kernel refuses them (see `honourRunControl`). */
const editingKinds = new Set(['implement', 'test']);

/**
 * Keeps one entry per step in the run's turns: an attempt that produced a message replaces the earlier one in place, so
 * the debate goes on from the re-run's outcome while the journal keeps both.
 */
export function keepLatestAttempts(turns: CompletedTurn[]): void {
  for (let index = turns.length - 1; index > 0; index -= 1) {
    const turn = turns[index]!;
    const first = turns.findIndex((entry) => entry.stepId === turn.stepId);
    if (first === index) continue;
    if (turn.message !== undefined) turns[first] = turn;
    turns.splice(index, 1);
  }
}

/** The turn context with the operator's edited instruction, when there is one for this role, as the task. */
export function withOperatorInstruction(context: TurnContext, control: RunControlTracker, role: string): TurnContext {
  const instruction = control.instructionFor(role);
  return instruction === undefined || instruction === context.start.task
    ? context
    : { ...context, start: { ...context.start, task: instruction } };
}

async function appendAndFold(
  context: TurnContext,
  state: RunState,
  events: Parameters<TurnContext['journal']['append']>[0],
): Promise<void> {
  await context.journal.append(events);
  foldRunEvents(state, context.journal.takeAppended(), { trusted: true });
}

/**
 * Re-runs a completed step with the conversation that preceded it (and the current instruction): a second `step-start`
 * with the same stepId, then the turn as usual. Its recorded responses are forgotten so the model is asked again.
 */
async function rerunStep(context: TurnContext, state: RunState, turn: CompletedTurn): Promise<TurnOutcome> {
  const earlier = await context.journal.readStep(turn.stepId);
  const calls = earlier.filter((event) => event.type === 'model-call-start');
  for (const call of calls) state.recordedResponses.delete((call.data as ModelCallStartData).requestSha256);
  const next = { role: turn.role, kind: turn.kind } as NextTurn;
  await context.journal.appendOne('step-start', { role: turn.role, turn: turn.turn, kind: turn.kind }, turn.stepId);
  const before = { ...context, turns: state.turns.filter((entry) => entry.turn < turn.turn) };
  return runTurn(before, next, turn.turn, {
    stepId: turn.stepId,
    turn: turn.turn,
    role: turn.role,
    kind: turn.kind,
    modelCalls: calls.length,
  });
}

/**
 * Honours what operators asked, at a step boundary (before the next turn): takes in the control events the API
 * appended, then, in order: a pause in force stops the run; a rejected approval ends it (`cancelled`); a pending
 * approval pauses it (`approval-required`) until a human decides; an unplayed re-run request is played (steps that
 * edit files are refused: their re-run is journaled as a failed attempt saying why). The state is folded in place.
 */
export async function honourRunControl(context: TurnContext, state: RunState): Promise<StepBoundary> {
  const { journal } = context;
  await journal.syncControl();
  foldRunEvents(state, journal.takeAppended(), { trusted: true });
  keepLatestAttempts(state.turns);
  const control = journal.control;
  if (control.paused) return { action: 'stop' };
  const rejected = control.rejectedApproval();
  if (rejected !== undefined) {
    const diff = await context.workspace.diff();
    await appendAndFold(context, state, [{ type: 'run-end', data: { status: 'cancelled', diff } }]);
    return { action: 'stop' };
  }
  if (control.pendingApprovals.length > 0) {
    const ids = control.pendingApprovals.join(', ');
    const detail = `Waiting for a decision on approval ${ids}: approve or reject it in the console (or the API).`;
    await appendAndFold(context, state, [{ type: 'run-pause', data: { reason: approvalPauseReason, detail } }]);
    return { action: 'stop' };
  }
  const request = control.pendingRerun();
  if (request === undefined) return { action: 'continue' };
  const turn = state.turns.find((entry) => entry.stepId === request.stepId);
  if (turn === undefined) {
    // The step never completed (it is the open turn, finished when the run resumes): nothing to re-run.
    control.dismiss(request.seq);
    return { action: 'played' };
  }
  if (editingKinds.has(turn.kind)) {
    const problem = `step ${turn.stepId} edits files (${turn.kind}); re-running it would apply its edits over later ones`;
    await appendAndFold(context, state, [
      { type: 'step-start', stepId: turn.stepId, data: { role: turn.role, turn: turn.turn, kind: turn.kind } },
      { type: 'step-end', stepId: turn.stepId, data: { status: 'failed', result: { problem } } },
    ]);
    keepLatestAttempts(state.turns);
    return { action: 'played' };
  }
  const outcome = await rerunStep(withOperatorInstruction(context, control, turn.role), state, turn);
  foldRunEvents(state, journal.takeAppended(), { trusted: true });
  keepLatestAttempts(state.turns);
  return outcome.status === 'paused' ? { action: 'stop' } : { action: 'played' };
}
