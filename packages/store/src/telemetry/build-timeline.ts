import type { JournalEvent, RunTimeline } from '@orchestrator/spec';
import { TimelineAccumulator } from './timeline-accumulator.ts';

export interface BuildTimelineOptions {
  /** Include only entries with seq above this (totals still cover the whole run). */
  afterSeq?: number;
  /** At most this many entries. */
  limit?: number;
}

/**
 * A run's dashboard data from its journal: the timeline (every event summarised), token and dollar totals overall and
 * per role, and the three costliest model calls with their prompt's blob sha256. Pure: the
 * `orchestrator runs show <id> --timeline` command and the HTTP API both call it.
 */
export function buildTimeline(events: readonly JournalEvent[], options: BuildTimelineOptions = {}): RunTimeline {
  const accumulator = new TimelineAccumulator();
  accumulator.apply(events);
  const afterSeq = options.afterSeq ?? 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const entries = [];
  for (const event of events) {
    if (entries.length >= limit) break;
    if (event.seq > afterSeq) entries.push(accumulator.entry(event));
  }
  return accumulator.timeline(entries);
}
