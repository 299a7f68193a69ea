import type {
  CostlyPrompt,
  JournalEvent,
  RunStatus,
  RunTimeline,
  TimelineEntry,
  TokenTotals,
} from '@orchestrator/spec';
import { describeEvent } from './describe-event.ts';
import { dataOf } from './known-event.ts';
import { addCall, emptyTotals } from './token-totals.ts';

export interface BuildTimelineOptions {
  /** Include only entries with seq above this (totals still cover the whole run). */
  afterSeq?: number;
  /** At most this many entries. */
  limit?: number;
}

function millisecondsBetween(from: string, to: string): number {
  const difference = Date.parse(to) - Date.parse(from);
  return Number.isFinite(difference) ? Math.max(0, difference) : 0;
}

/**
 * A run's dashboard data from its journal, in one pass: the timeline (every event summarised), token and dollar
 * totals overall and per role, and the three costliest model calls with their prompt's blob sha256. Pure: the
 * `orchestrator runs show <id> --timeline` command and the HTTP API both call it.
 */
export function buildTimeline(events: readonly JournalEvent[], options: BuildTimelineOptions = {}): RunTimeline {
  const first = events[0];
  const runId = first?.runId ?? '';
  const startedAt = first?.at;
  const totals = emptyTotals();
  const totalsByRole: Record<string, TokenTotals> = {};
  const requestByCall = new Map<string, string>();
  const stepStartedAt = new Map<string, string>();
  const calls: CostlyPrompt[] = [];
  const entries: TimelineEntry[] = [];
  const afterSeq = options.afterSeq ?? 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let status: RunStatus = first === undefined ? 'empty' : 'running';
  let task: string | undefined;
  let pauseReason: string | undefined;
  let endedAt: string | undefined;

  for (const event of events) {
    let durationMs: number | undefined;
    let costUsd: number | undefined;
    switch (event.type) {
      case 'run-start':
        task = dataOf(event, 'run-start')?.task ?? task;
        break;
      case 'step-start':
        if (event.stepId !== undefined) stepStartedAt.set(event.stepId, event.at);
        break;
      case 'step-end': {
        const started = event.stepId === undefined ? undefined : stepStartedAt.get(event.stepId);
        if (started !== undefined) durationMs = millisecondsBetween(started, event.at);
        break;
      }
      case 'model-call-start': {
        const data = dataOf(event, 'model-call-start');
        if (data) requestByCall.set(data.callId, data.requestSha256);
        break;
      }
      case 'model-call-end': {
        const data = dataOf(event, 'model-call-end');
        if (!data) break;
        addCall(totals, data);
        totalsByRole[data.role] ??= emptyTotals();
        addCall(totalsByRole[data.role]!, data);
        durationMs = data.durationMs;
        costUsd = data.costUsd;
        const requestSha256 = requestByCall.get(data.callId);
        calls.push({
          callId: data.callId,
          role: data.role,
          model: data.model,
          costUsd: data.costUsd,
          inputTokens: data.usage.inputTokens + data.usage.cacheReadTokens + data.usage.cacheWriteTokens,
          outputTokens: data.usage.outputTokens,
          ...(requestSha256 === undefined ? {} : { requestSha256 }),
          seq: event.seq,
        });
        break;
      }
      case 'model-call-error':
        totals.failedCalls += 1;
        break;
      case 'test-run':
        durationMs = dataOf(event, 'test-run')?.durationMs;
        break;
      case 'run-pause':
        if (status !== 'converged' && status !== 'failed' && status !== 'cancelled') {
          status = 'paused';
          pauseReason = dataOf(event, 'run-pause')?.reason;
        }
        break;
      case 'run-resume':
        if (status === 'paused') {
          status = 'running';
          pauseReason = undefined;
        }
        break;
      case 'run-end':
        status = dataOf(event, 'run-end')?.status ?? 'failed';
        pauseReason = undefined;
        endedAt = event.at;
        break;
    }
    if (event.seq > afterSeq && entries.length < limit) {
      const { summary, role } = describeEvent(event);
      entries.push({
        seq: event.seq,
        at: event.at,
        offsetMs: startedAt === undefined ? 0 : millisecondsBetween(startedAt, event.at),
        type: event.type,
        ...(event.stepId === undefined ? {} : { stepId: event.stepId }),
        ...(role === undefined ? {} : { role }),
        summary,
        ...(durationMs === undefined ? {} : { durationMs }),
        ...(costUsd === undefined ? {} : { costUsd }),
      });
    }
  }

  const last = events.at(-1);
  return {
    runId,
    ...(task === undefined ? {} : { task }),
    status,
    ...(pauseReason === undefined ? {} : { pauseReason }),
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(endedAt === undefined ? {} : { endedAt }),
    durationMs: startedAt === undefined || last === undefined ? 0 : millisecondsBetween(startedAt, last.at),
    entries,
    totals,
    totalsByRole,
    costliestPrompts: topCostly(calls, 3),
  };
}

/** The `count` costliest calls, most expensive first; ties keep journal order. */
function topCostly(calls: CostlyPrompt[], count: number): CostlyPrompt[] {
  return calls
    .map((call, index) => ({ call, index }))
    .sort((left, right) => right.call.costUsd - left.call.costUsd || left.index - right.index)
    .slice(0, count)
    .map((item) => item.call);
}
