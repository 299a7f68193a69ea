import type { ErrorCatalog, ErrorCatalogEntry, JournalEvent } from '@orchestrator/spec';
import { operatorPauseReason } from '@orchestrator/spec';
import { remediationFor } from './error-remediations.ts';
import { dataOf, stringField } from './known-event.ts';

/** One error found in a journal. */
export interface ErrorOccurrence {
  code: string;
  actor?: string;
  message: string;
  hint?: string;
  runId: string;
  seq: number;
  at: string;
}

/** Finds the errors a run's journal records: failed model calls, failure pauses, and any event with an `error`. */
export function collectErrors(events: readonly JournalEvent[]): ErrorOccurrence[] {
  const found: ErrorOccurrence[] = [];
  for (const event of events) {
    const base = { runId: event.runId, seq: event.seq, at: event.at };
    if (event.type === 'model-call-error') {
      const data = dataOf(event, 'model-call-error');
      if (data) found.push({ ...base, code: data.code, actor: 'system', message: data.message });
      continue;
    }
    if (event.type === 'run-pause') {
      const data = dataOf(event, 'run-pause');
      if (data && data.reason !== operatorPauseReason) {
        found.push({ ...base, code: `run-paused-${data.reason}`, message: data.detail, hint: data.detail });
      }
      continue;
    }
    // Forward compatible: any payload carrying an `error: { code, message, hint?, actor? }` (e.g. step-end results).
    const data = event.data as { error?: unknown; result?: { error?: unknown } } | null;
    const error = data?.error ?? data?.result?.error;
    const code = stringField(error, 'code');
    if (code !== undefined) {
      const actor = stringField(error, 'actor');
      const hint = stringField(error, 'hint');
      found.push({
        ...base,
        code,
        message: stringField(error, 'message') ?? code,
        ...(actor === undefined ? {} : { actor }),
        ...(hint === undefined ? {} : { hint }),
      });
    }
  }
  return found;
}

/** Folds occurrences of many runs into the catalog: per code, count, first/last seen, example, remediation. */
export function buildErrorCatalog(occurrences: Iterable<ErrorOccurrence>): ErrorCatalog {
  const byCode = new Map<string, ErrorCatalogEntry & { runs: Set<string>; recordedHint?: string }>();
  for (const occurrence of occurrences) {
    const entry = byCode.get(occurrence.code);
    if (entry === undefined) {
      byCode.set(occurrence.code, {
        code: occurrence.code,
        ...(occurrence.actor === undefined ? {} : { actor: occurrence.actor }),
        count: 1,
        runCount: 1,
        firstSeen: occurrence.at,
        lastSeen: occurrence.at,
        exampleRunId: occurrence.runId,
        exampleSeq: occurrence.seq,
        exampleMessage: occurrence.message,
        remediation: '',
        runs: new Set([occurrence.runId]),
        ...(occurrence.hint === undefined ? {} : { recordedHint: occurrence.hint }),
      });
      continue;
    }
    entry.count += 1;
    entry.runs.add(occurrence.runId);
    if (occurrence.at < entry.firstSeen) entry.firstSeen = occurrence.at;
    if (occurrence.at >= entry.lastSeen) {
      entry.lastSeen = occurrence.at;
      entry.exampleRunId = occurrence.runId;
      entry.exampleSeq = occurrence.seq;
      entry.exampleMessage = occurrence.message;
      if (occurrence.hint !== undefined) entry.recordedHint = occurrence.hint;
    }
  }
  const entries = [...byCode.values()].map(({ runs, recordedHint, ...entry }) => ({
    ...entry,
    runCount: runs.size,
    remediation: recordedHint ?? remediationFor(entry.code),
  }));
  entries.sort((left, right) => right.count - left.count || right.lastSeen.localeCompare(left.lastSeen));
  return { entries };
}
