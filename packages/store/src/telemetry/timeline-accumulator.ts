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

function millisecondsBetween(from: string, to: string): number {
  const difference = Date.parse(to) - Date.parse(from);
  return Number.isFinite(difference) ? Math.max(0, difference) : 0;
}

const costliestCount = 3;

/**
 * A run's dashboard state, folded one event at a time: status, totals overall and per role, the costliest calls,
 * and what entries need (start time, step durations). A server keeps one per run and applies only new events; a page
 * of entries is then rendered from just that page of the journal.
 */
export class TimelineAccumulator {
  #runId = '';
  #task: string | undefined;
  #status: RunStatus = 'empty';
  #pauseReason: string | undefined;
  #startedAt: string | undefined;
  #lastAt: string | undefined;
  #endedAt: string | undefined;
  #lastSeq = 0;
  #eventCount = 0;
  readonly #totals = emptyTotals();
  readonly #totalsByRole: Record<string, TokenTotals> = {};
  readonly #requestByCall = new Map<string, string>();
  readonly #stepStartedAt = new Map<string, string>();
  /** Durations of closing events by seq (a re-run step reuses its id, so this cannot be looked up later). */
  readonly #durationBySeq = new Map<number, number>();
  #costliest: CostlyPrompt[] = [];

  /** Seq of the latest event applied. */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Folds events in seq order; events at or below `lastSeq` are ignored, so re-applying a page is harmless. */
  apply(events: readonly JournalEvent[]): void {
    for (const event of events) {
      if (event.seq <= this.#lastSeq) continue;
      this.#apply(event);
    }
  }

  /** The timeline entry of an event already applied. */
  entry(event: JournalEvent): TimelineEntry {
    const { summary, role } = describeEvent(event);
    const durationMs = this.#durationBySeq.get(event.seq);
    const costUsd = event.type === 'model-call-end' ? dataOf(event, 'model-call-end')?.costUsd : undefined;
    return {
      seq: event.seq,
      at: event.at,
      offsetMs: this.#startedAt === undefined ? 0 : millisecondsBetween(this.#startedAt, event.at),
      type: event.type,
      ...(event.stepId === undefined ? {} : { stepId: event.stepId }),
      ...(role === undefined ? {} : { role }),
      summary,
      ...(durationMs === undefined ? {} : { durationMs }),
      ...(costUsd === undefined ? {} : { costUsd }),
    };
  }

  /** The timeline with the given entries (copies, so later folding does not change it). */
  timeline(entries: TimelineEntry[]): RunTimeline {
    const totalsByRole: Record<string, TokenTotals> = {};
    for (const [role, totals] of Object.entries(this.#totalsByRole)) totalsByRole[role] = { ...totals };
    return {
      runId: this.#runId,
      ...(this.#task === undefined ? {} : { task: this.#task }),
      status: this.#status,
      ...(this.#pauseReason === undefined ? {} : { pauseReason: this.#pauseReason }),
      ...(this.#startedAt === undefined ? {} : { startedAt: this.#startedAt }),
      ...(this.#endedAt === undefined ? {} : { endedAt: this.#endedAt }),
      durationMs:
        this.#startedAt === undefined || this.#lastAt === undefined
          ? 0
          : millisecondsBetween(this.#startedAt, this.#lastAt),
      entries,
      totals: { ...this.#totals },
      totalsByRole,
      costliestPrompts: this.#costliest.map((prompt) => ({ ...prompt })),
    };
  }

  /** Number of events applied. */
  get eventCount(): number {
    return this.#eventCount;
  }

  #apply(event: JournalEvent): void {
    if (this.#startedAt === undefined) {
      this.#runId = event.runId;
      this.#startedAt = event.at;
      this.#status = 'running';
    }
    this.#lastSeq = event.seq;
    this.#lastAt = event.at;
    this.#eventCount += 1;
    switch (event.type) {
      case 'run-start':
        this.#task = dataOf(event, 'run-start')?.task ?? this.#task;
        break;
      case 'step-start':
        if (event.stepId !== undefined) this.#stepStartedAt.set(event.stepId, event.at);
        break;
      case 'step-end': {
        const started = event.stepId === undefined ? undefined : this.#stepStartedAt.get(event.stepId);
        if (started !== undefined) this.#durationBySeq.set(event.seq, millisecondsBetween(started, event.at));
        break;
      }
      case 'model-call-start': {
        const data = dataOf(event, 'model-call-start');
        if (data) this.#requestByCall.set(data.callId, data.requestSha256);
        break;
      }
      case 'model-call-end': {
        const data = dataOf(event, 'model-call-end');
        if (!data) break;
        addCall(this.#totals, data);
        this.#totalsByRole[data.role] ??= emptyTotals();
        addCall(this.#totalsByRole[data.role]!, data);
        this.#durationBySeq.set(event.seq, data.durationMs);
        const requestSha256 = this.#requestByCall.get(data.callId);
        this.#requestByCall.delete(data.callId);
        this.#rank({
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
        this.#totals.failedCalls += 1;
        break;
      case 'test-run': {
        const durationMs = dataOf(event, 'test-run')?.durationMs;
        if (durationMs !== undefined) this.#durationBySeq.set(event.seq, durationMs);
        break;
      }
      case 'run-pause':
        if (this.#status === 'running' || this.#status === 'paused') {
          this.#status = 'paused';
          this.#pauseReason = dataOf(event, 'run-pause')?.reason;
        }
        break;
      case 'run-resume':
        if (this.#status === 'paused') {
          this.#status = 'running';
          this.#pauseReason = undefined;
        }
        break;
      case 'run-end':
        this.#status = dataOf(event, 'run-end')?.status ?? 'failed';
        this.#pauseReason = undefined;
        this.#endedAt = event.at;
        break;
    }
  }

  /** Keeps the costliest calls, most expensive first; a tie keeps the earlier call. */
  #rank(call: CostlyPrompt): void {
    const last = this.#costliest.at(-1);
    if (this.#costliest.length === costliestCount && last !== undefined && call.costUsd <= last.costUsd) return;
    const index = this.#costliest.findIndex((existing) => call.costUsd > existing.costUsd);
    if (index === -1) this.#costliest.push(call);
    else this.#costliest.splice(index, 0, call);
    this.#costliest = this.#costliest.slice(0, costliestCount);
  }
}
