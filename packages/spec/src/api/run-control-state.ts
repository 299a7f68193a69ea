import type { JournalEvent } from '../journal/journal-event.ts';
import { approvalIdOf } from './run-control-events.ts';

/** Where a run stands, as far as control is concerned. */
export type RunControlStatus = 'not-started' | 'running' | 'paused' | 'ended';

/** What operators asked of a run, folded from its journal: what the kernel must honour. */
export interface RunControlState {
  /** Highest seq read. */
  lastSeq: number;
  /** `paused` when the latest of `run-pause`/`run-resume` is a pause; `ended` after `run-end`. */
  status: RunControlStatus;
  /** The pause in force, when paused. */
  pause?: { seq: number; reason: string; detail: string };
  /** The latest instruction edit, when any: the kernel uses it instead of the run-start task from then on. */
  instruction?: { seq: number; instruction: string; role?: string };
  /** Re-run requests, oldest first. The kernel honours those with a seq above the last one it handled. */
  rerunRequests: { seq: number; stepId: string }[];
  /** Ids of approval requests with no decision yet (see `approvalIdOf`). */
  pendingApprovals: string[];
  /** Decisions by the id of the request they answer. */
  approvalDecisions: Record<string, 'approve' | 'reject'>;
  /** Step ids that have started at least once (re-run requests must name one). */
  knownSteps: string[];
}

function field(data: unknown, name: string): unknown {
  return typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[name] : undefined;
}

/** The control state of a run with no events. */
export function emptyRunControlState(): RunControlState {
  return {
    lastSeq: 0,
    status: 'not-started',
    rerunRequests: [],
    pendingApprovals: [],
    approvalDecisions: {},
    knownSteps: [],
  };
}

/** Step ids seen per state object, so folding a long journal stays linear. */
const knownStepSets = new WeakMap<RunControlState, Set<string>>();

/**
 * Folds more events into a control state (mutating and returning it): for callers that keep the state and apply only
 * new events. Events at or below `state.lastSeq` are skipped.
 */
export function applyRunControlEvents(state: RunControlState, events: readonly JournalEvent[]): RunControlState {
  let knownSteps = knownStepSets.get(state);
  if (knownSteps === undefined) {
    knownSteps = new Set(state.knownSteps);
    knownStepSets.set(state, knownSteps);
  }
  for (const event of events) {
    if (event.seq <= state.lastSeq) continue;
    state.lastSeq = event.seq;
    switch (event.type) {
      case 'step-start':
        if (event.stepId !== undefined && !knownSteps.has(event.stepId)) {
          knownSteps.add(event.stepId);
          state.knownSteps.push(event.stepId);
        }
        break;
      case 'run-start':
        if (state.status === 'not-started') state.status = 'running';
        break;
      case 'run-pause':
        if (state.status !== 'ended') {
          state.status = 'paused';
          state.pause = {
            seq: event.seq,
            reason: String(field(event.data, 'reason') ?? ''),
            detail: String(field(event.data, 'detail') ?? ''),
          };
        }
        break;
      case 'run-resume':
        if (state.status !== 'ended') {
          state.status = 'running';
          delete state.pause;
        }
        break;
      case 'run-end':
        state.status = 'ended';
        delete state.pause;
        break;
      case 'instruction-edit': {
        const role = field(event.data, 'role');
        state.instruction = {
          seq: event.seq,
          instruction: String(field(event.data, 'instruction') ?? ''),
          ...(typeof role === 'string' ? { role } : {}),
        };
        break;
      }
      case 'step-rerun':
        state.rerunRequests.push({ seq: event.seq, stepId: String(field(event.data, 'stepId') ?? '') });
        break;
      case 'approval-request':
        state.pendingApprovals.push(approvalIdOf(event));
        break;
      case 'approval-decision': {
        const approvalId = String(field(event.data, 'approvalId') ?? '');
        state.approvalDecisions[approvalId] = field(event.data, 'decision') === 'reject' ? 'reject' : 'approve';
        state.pendingApprovals = state.pendingApprovals.filter((id) => id !== approvalId);
        break;
      }
    }
  }
  return state;
}

/**
 * Folds a run's journal into its control state. The kernel calls this at each step boundary on the events appended
 * since it last looked (or on the whole journal when resuming), and the API calls it to validate a request.
 */
export function readRunControlState(events: readonly JournalEvent[]): RunControlState {
  return applyRunControlEvents(emptyRunControlState(), events);
}
