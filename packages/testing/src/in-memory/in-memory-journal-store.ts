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

/** A JournalStore kept in memory, for kernel tests and `npm run dev`. Same semantics as the SQLite store. */
export class InMemoryJournalStore implements JournalStore {
  readonly specificationVersion = 'v1';
  private readonly runs = new Map<string, { record: RunRecord; events: JournalEvent[] }>();
  private readonly blobs = new Map<string, string>();
  private closed = false;
  /** Number of `append` calls, for tests that check batching. */
  appendCalls = 0;

  async createRun(runId: string, labels: Record<string, string>): Promise<void> {
    this.assertOpen();
    if (this.runs.has(runId)) return;
    const now = new Date().toISOString();
    this.runs.set(runId, {
      record: { runId, lastSeq: 0, createdAt: now, updatedAt: now, labels: { ...labels } },
      events: [],
    });
  }

  async append(
    runId: string,
    events: readonly NewJournalEvent[],
    options: AppendOptions = {},
  ): Promise<JournalEvent[]> {
    this.assertOpen();
    this.appendCalls += 1;
    const run = this.runs.get(runId);
    if (!run) {
      throw new UserError({
        code: 'journal-run-missing',
        message: `Run ${runId} does not exist.`,
        hint: 'Create the run before appending to it.',
      });
    }
    if (options.expectedLastSeq !== undefined && options.expectedLastSeq !== run.record.lastSeq) {
      throw new SystemError({
        code: 'journal-conflict',
        message: `Run ${runId} was appended to concurrently (expected last seq ${options.expectedLastSeq}, found ${run.record.lastSeq}).`,
        hint: 'Another process is driving this run; stop it before resuming.',
      });
    }
    const stored = events.map((event, index): JournalEvent => {
      const at = event.at ?? new Date().toISOString();
      return {
        runId,
        seq: run.record.lastSeq + index + 1,
        type: event.type,
        ...(event.stepId === undefined ? {} : { stepId: event.stepId }),
        at,
        schemaVersion: journalSchemaVersion,
        data: structuredClone(event.data),
      };
    });
    run.events.push(...stored);
    const last = stored.at(-1);
    if (last) run.record = { ...run.record, lastSeq: last.seq, updatedAt: last.at };
    return structuredClone(stored);
  }

  async read(runId: string, options: ReadOptions = {}): Promise<JournalEvent[]> {
    this.assertOpen();
    const events = (this.runs.get(runId)?.events ?? []).filter((event) => event.seq > (options.afterSeq ?? 0));
    return structuredClone(options.limit === undefined ? events : events.slice(0, options.limit));
  }

  async listRuns(options: { limit?: number; label?: { key: string; value: string } } = {}): Promise<RunRecord[]> {
    this.assertOpen();
    const label = options.label;
    const records = [...this.runs.values()]
      .map((run) => run.record)
      .filter((record) => label === undefined || record.labels[label.key] === label.value)
      .reverse();
    return structuredClone(options.limit === undefined ? records : records.slice(0, options.limit));
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    this.assertOpen();
    const record = this.runs.get(runId)?.record;
    return record === undefined ? undefined : structuredClone(record);
  }

  async putBlob(content: string): Promise<string> {
    this.assertOpen();
    const sha256 = createHash('sha256').update(content).digest('hex');
    this.blobs.set(sha256, content);
    return sha256;
  }

  async getBlob(sha256: string): Promise<string | undefined> {
    this.assertOpen();
    return this.blobs.get(sha256);
  }

  async close(): Promise<void> {
    this.closed = true;
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
