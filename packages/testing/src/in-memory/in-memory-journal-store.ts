import { createHash } from 'node:crypto';
import {
  type AppendOptions,
  type JournalEvent,
  type JournalStore,
  journalSchemaVersion,
  type NewJournalEvent,
  type ReadOptions,
  type RunRecord,
  SystemError,
  UserError,
} from '@orchestrator/spec';

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

interface SharedState {
  runs: Map<string, { record: RunRecord; events: JournalEvent[] }>;
  blobs: Map<string, string>;
  /** Creation order, for newest-first listing. */
  order: string[];
}

/**
 * A JournalStore kept in memory, for kernel tests, `npm run dev` and benchmarks. It passes the JournalStore conformance
 * suite: same seq, label, conflict and validation semantics as the SQLite store. `openAnother()` returns a second handle
 * on the same data (like a second connection).
 */
export class InMemoryJournalStore implements JournalStore {
  readonly specificationVersion = 'v1';
  private readonly state: SharedState;
  private closed = false;
  /** Number of `append` calls on this handle, for tests that check batching. */
  appendCalls = 0;

  constructor(options: { sharedWith?: InMemoryJournalStore } = {}) {
    this.state = options.sharedWith?.state ?? { runs: new Map(), blobs: new Map(), order: [] };
  }

  /** Another handle on the same data. */
  openAnother(): InMemoryJournalStore {
    return new InMemoryJournalStore({ sharedWith: this });
  }

  async createRun(runId: string, labels: Record<string, string>): Promise<void> {
    this.assertOpen();
    this.ensureRun(runId, labels, new Date().toISOString());
  }

  async append(
    runId: string,
    events: readonly NewJournalEvent[],
    options: AppendOptions = {},
  ): Promise<JournalEvent[]> {
    this.assertOpen();
    this.appendCalls += 1;
    if (events.length === 0) return [];
    const now = new Date().toISOString();
    const lastSeq = this.state.runs.get(runId)?.record.lastSeq ?? 0;
    if (options.expectedLastSeq !== undefined && options.expectedLastSeq !== lastSeq) {
      throw new SystemError({
        code: 'journal-conflict',
        message: `Run ${runId} was appended to concurrently (expected last seq ${options.expectedLastSeq}, found ${lastSeq}).`,
        hint: 'Another process is driving this run; stop it before resuming.',
        details: { runId, expectedLastSeq: options.expectedLastSeq, lastSeq },
      });
    }
    const stored = events.map((event, index): JournalEvent => {
      const invalid = (why: string) =>
        new UserError({
          code: 'journal-event-invalid',
          message: `Event #${index + 1} of the batch for run ${runId} is invalid: ${why}.`,
          hint: 'Fix the event; nothing of the batch was written.',
          details: { runId, index },
        });
      if (typeof event.type !== 'string' || event.type.trim() === '') throw invalid('the type is empty');
      if (event.at !== undefined && !isoTimestamp.test(event.at))
        throw invalid(`the timestamp ${JSON.stringify(event.at)} is not ISO-8601`);
      return {
        runId,
        seq: lastSeq + index + 1,
        type: event.type,
        ...(event.stepId === undefined ? {} : { stepId: event.stepId }),
        at: event.at ?? now,
        schemaVersion: journalSchemaVersion,
        data: JSON.parse(JSON.stringify(event.data ?? null)) as unknown,
      };
    });
    const run = this.ensureRun(runId, {}, now);
    run.events.push(...stored);
    const last = stored.at(-1)!;
    run.record = { ...run.record, lastSeq: last.seq, updatedAt: last.at };
    return structuredClone(stored);
  }

  async read(runId: string, options: ReadOptions = {}): Promise<JournalEvent[]> {
    this.assertOpen();
    const events = (this.state.runs.get(runId)?.events ?? []).filter((event) => event.seq > (options.afterSeq ?? 0));
    return structuredClone(options.limit === undefined ? events : events.slice(0, options.limit));
  }

  async listRuns(options: { limit?: number; label?: { key: string; value: string } } = {}): Promise<RunRecord[]> {
    this.assertOpen();
    const label = options.label;
    const records = [...this.state.order]
      .reverse()
      .map((runId) => this.state.runs.get(runId)!.record)
      .filter((record) => label === undefined || record.labels[label.key] === label.value);
    return structuredClone(options.limit === undefined ? records : records.slice(0, options.limit));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.assertOpen();
    const record = this.state.runs.get(runId)?.record;
    return record === undefined ? undefined : structuredClone(record);
  }

  async putBlob(content: string): Promise<string> {
    this.assertOpen();
    const sha256 = createHash('sha256').update(content, 'utf8').digest('hex');
    this.state.blobs.set(sha256, content);
    return sha256;
  }

  async getBlob(sha256: string): Promise<string | undefined> {
    this.assertOpen();
    return this.state.blobs.get(sha256);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private ensureRun(runId: string, labels: Record<string, string>, now: string) {
    let run = this.state.runs.get(runId);
    if (!run) {
      run = { record: { runId, lastSeq: 0, createdAt: now, updatedAt: now, labels: {} }, events: [] };
      this.state.runs.set(runId, run);
      this.state.order.push(runId);
    }
    // Labels set first win; later calls only add keys (as the SQL stores do).
    run.record = { ...run.record, labels: { ...labels, ...run.record.labels } };
    return run;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new SystemError({
        code: 'journal-closed',
        message: 'The journal store is closed.',
        hint: 'Open a new store.',
      });
    }
  }
}
