import {
  type InvalidCitation,
  type JournalEvent,
  type PatchApplyData,
  type ProtocolMessage,
  type RunLimits,
  type RunPauseData,
  type RunStartData,
  type TestRunData,
  type TypedJournalEvent,
  toTypedJournalEvent,
} from '@orchestrator/spec';

/** A completed turn (its `step-end` is journaled; it is never re-executed). */
export interface CompletedTurn {
  stepId: string;
  turn: number;
  role: string;
  kind: string;
  status: 'ok' | 'failed';
  message?: ProtocolMessage;
  patch?: PatchApplyData;
  /** sha256 of the workspace diff after the turn (implement turns). */
  diffSha256?: string;
  /** Test runs of the turn: the red run of a `test` turn, the green (or check) run of an `implement` turn. */
  testRuns?: TestRunData[];
  /** Why the turn produced nothing usable though the model answered (e.g. an acceptance spec that cannot be rendered). */
  problem?: string;
}

/** A turn that started but did not end (the process died, or it is running now). */
export interface OpenTurn {
  stepId: string;
  turn: number;
  role: string;
  kind: string;
  message?: ProtocolMessage;
  preImageSha256?: string;
  /** Chunk citations of the message that failed the citation check (journaled in its `message` event). */
  invalidCitations?: InvalidCitation[];
  patch?: PatchApplyData;
  /** Test runs journaled in this step so far. */
  testRuns?: TestRunData[];
  /** Number of model calls started in this step. */
  modelCalls: number;
}

export type RunStatus = 'empty' | 'running' | 'paused' | 'converged' | 'failed' | 'cancelled';

/** The state of a run: a pure projection of its journal. */
export interface RunState {
  runId: string;
  status: RunStatus;
  start: RunStartData | undefined;
  /** Limits in force (run-start limits, updated by `run-resume` changes). */
  limits: RunLimits | undefined;
  turns: CompletedTurn[];
  openTurn: OpenTurn | undefined;
  /** The latest pause, while paused. */
  pause: RunPauseData | undefined;
  /** Index in `turns` from which stop-rule windows count (turns after the latest resume of a pause). */
  windowStart: number;
  /** Time of the run's start or latest resume, for the time cap. */
  activeSince: string | undefined;
  /** Final diff, once ended. */
  finalDiff: string | undefined;
  /** The latest baseline test run (the untouched worktree's tests, before any edit), when the run has tests. */
  baselineTests: TestRunData | undefined;
  spentUsd: number;
  modelCalls: number;
  /** requestSha256 → responseSha256 of every call that ended, for replay within the run. */
  recordedResponses: Map<string, string>;
  /**
   * callId → requestSha256 of calls started with neither an end nor an error: their outcome is unknown (the process
   * died during the call), so a capped ledger settles them at their full reservation on resume.
   */
  pendingRequests: Map<string, string>;
  lastSeq: number;
}

/** The limits a `run-resume` may change (`orchestrator resume --max-…`). */
const resumableLimits = [
  'maxTurns',
  'maxRejections',
  'maxRepairAttempts',
  'maxMinutes',
  'maxEditBytes',
  'maxFileBytes',
  'maxDiffBytes',
  'testDiskQuotaBytes',
] as const;

/** Problems that make a journal untrustworthy: gaps or duplicates in seq. */
export function findSequenceProblems(events: readonly JournalEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((event, index) => {
    if (event.seq !== index + 1) problems.push(`event #${index + 1} has seq ${event.seq}`);
  });
  return problems;
}

const numberChange = (changes: Record<string, unknown> | undefined, key: string): number | undefined => {
  const value = changes?.[key];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
};

/** The state of a run before its first event. */
export function emptyRunState(runId: string): RunState {
  return {
    runId,
    status: 'empty',
    start: undefined,
    limits: undefined,
    turns: [],
    openTurn: undefined,
    pause: undefined,
    windowStart: 0,
    activeSince: undefined,
    finalDiff: undefined,
    baselineTests: undefined,
    spentUsd: 0,
    modelCalls: 0,
    recordedResponses: new Map(),
    pendingRequests: new Map(),
    lastSeq: 0,
  };
}

/** Folds a run's events into its state. Unknown event types are ignored (other components add their own). */
export function projectRun(runId: string, events: readonly JournalEvent[]): RunState {
  return foldRunEvents(emptyRunState(runId), events);
}

/**
 * Applies more events to a state (mutating and returning it). `trusted` skips payload validation for events this
 * process has just validated and appended itself.
 */
export function foldRunEvents(
  state: RunState,
  events: readonly JournalEvent[],
  options: { trusted?: boolean } = {},
): RunState {
  const pendingRequests = state.pendingRequests;
  for (const raw of events) {
    state.lastSeq = raw.seq;
    const event = options.trusted === true ? (raw as TypedJournalEvent) : toTypedJournalEvent(raw);
    if (!event) continue;
    switch (event.type) {
      case 'run-start':
        state.start = event.data;
        state.limits = { ...event.data.limits };
        state.status = 'running';
        state.activeSince = event.at;
        break;
      case 'run-resume': {
        const limits = state.limits;
        if (limits) {
          for (const key of resumableLimits) {
            const changed = numberChange(event.data.changes, key);
            if (changed !== undefined) limits[key] = changed;
          }
        }
        if (state.status === 'paused') state.windowStart = state.turns.length;
        state.status = 'running';
        state.pause = undefined;
        state.activeSince = event.at;
        break;
      }
      case 'step-start':
        state.openTurn = {
          stepId: event.stepId ?? `turn-${event.data.turn}`,
          turn: event.data.turn,
          role: event.data.role,
          kind: event.data.kind,
          modelCalls: 0,
        };
        break;
      case 'model-call-start':
        state.modelCalls += 1;
        if (state.openTurn) state.openTurn.modelCalls += 1;
        pendingRequests.set(event.data.callId, event.data.requestSha256);
        break;
      case 'model-call-end': {
        state.spentUsd += event.data.costUsd;
        const request = pendingRequests.get(event.data.callId);
        if (request !== undefined) state.recordedResponses.set(request, event.data.responseSha256);
        pendingRequests.delete(event.data.callId);
        break;
      }
      case 'model-call-error':
        pendingRequests.delete(event.data.callId);
        break;
      case 'message':
        if (state.openTurn) {
          state.openTurn.message = event.data.message;
          if (event.data.preImageSha256 !== undefined) state.openTurn.preImageSha256 = event.data.preImageSha256;
          if (event.data.invalidCitations !== undefined) state.openTurn.invalidCitations = event.data.invalidCitations;
        }
        break;
      case 'patch-apply':
        if (state.openTurn) state.openTurn.patch = event.data;
        break;
      case 'test-run':
        if (event.stepId === undefined) state.baselineTests = event.data;
        else if (state.openTurn) state.openTurn.testRuns = [...(state.openTurn.testRuns ?? []), event.data];
        break;
      case 'step-end': {
        const open = state.openTurn;
        if (!open) break;
        const diffSha256 = event.data.result?.diffSha256;
        const problem = event.data.result?.problem;
        state.turns.push({
          stepId: open.stepId,
          turn: open.turn,
          role: open.role,
          kind: open.kind,
          status: event.data.status,
          ...(open.message === undefined ? {} : { message: open.message }),
          ...(open.patch === undefined ? {} : { patch: open.patch }),
          ...(typeof diffSha256 === 'string' ? { diffSha256 } : {}),
          ...(open.testRuns === undefined ? {} : { testRuns: open.testRuns }),
          ...(typeof problem === 'string' ? { problem } : {}),
        });
        state.openTurn = undefined;
        break;
      }
      case 'run-pause':
        state.status = 'paused';
        state.pause = event.data;
        break;
      case 'run-end':
        state.status = event.data.status;
        state.finalDiff = event.data.diff;
        break;
      default:
        break;
    }
  }
  return state;
}
