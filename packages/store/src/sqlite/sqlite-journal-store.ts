import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type {
  AppendOptions,
  JournalEvent,
  JournalStore,
  NewJournalEvent,
  ReadOptions,
  RunRecord,
} from '@orchestrator/spec';
import { journalConflictError, journalDuplicateSeqError, storeUnavailableError } from '../journal-store-errors.ts';
import { type EventRow, eventFromRow, prepareEvents, sha256Hex } from '../prepare-events.ts';
import { migrateSqlite } from './sqlite-migrations.ts';

interface RunRow {
  run_id: string;
  last_seq: number;
  created_at: string;
  updated_at: string;
  labels: string;
}

function recordFromRow(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    lastSeq: Number(row.last_seq),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    labels: JSON.parse(row.labels) as Record<string, string>,
  };
}

/** How long a writer waits for another process's write lock before failing. */
const busyTimeoutMs = 10_000;

/**
 * The embedded journal store: one SQLite file (WAL, so readers never block the writer), shared safely by several
 * processes. Each append is one `BEGIN IMMEDIATE` transaction, so a batch is written whole or not at all.
 */
export class SqliteJournalStore implements JournalStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: DatabaseSync;

  private constructor(database: DatabaseSync) {
    this.#database = database;
  }

  /** Opens (creating the file and its parent directories) and migrates the store. `:memory:` works for tests. */
  static open(filePath: string): SqliteJournalStore {
    const location = filePath === ':memory:' ? filePath : resolve(filePath);
    let database: DatabaseSync | undefined;
    try {
      if (location !== ':memory:') {
        mkdirSync(dirname(location), { recursive: true });
        // The journal holds prompts and responses: create it user-only (SQLite gives -wal/-shm the same mode).
        closeSync(openSync(location, 'a', 0o600));
      }
      database = new DatabaseSync(location);
      database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      database.exec('PRAGMA journal_mode = WAL');
      database.exec('PRAGMA synchronous = NORMAL');
      database.exec('PRAGMA foreign_keys = ON');
      migrateSqlite(database);
      return new SqliteJournalStore(database);
    } catch (error) {
      database?.close();
      throw storeUnavailableError(location, error);
    }
  }

  async createRun(runId: string, labels: Record<string, string>): Promise<void> {
    this.#transaction(() => this.#ensureRun(runId, labels, new Date().toISOString()));
  }

  async append(
    runId: string,
    events: readonly NewJournalEvent[],
    options: AppendOptions = {},
  ): Promise<JournalEvent[]> {
    const now = new Date().toISOString();
    return this.#transaction(() => {
      this.#ensureRun(runId, {}, now);
      const lastSeq = Number(
        (this.#database.prepare('SELECT last_seq FROM runs WHERE run_id = ?').get(runId) as { last_seq: number })
          .last_seq,
      );
      if (options.expectedLastSeq !== undefined && options.expectedLastSeq !== lastSeq) {
        throw journalConflictError(runId, options.expectedLastSeq, lastSeq);
      }
      if (events.length === 0) return [];
      const prepared = prepareEvents(runId, events, lastSeq, now);
      const insert = this.#database.prepare(
        'INSERT INTO events (run_id, seq, type, step_id, at, schema_version, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      try {
        for (const { event, dataJson } of prepared) {
          insert.run(runId, event.seq, event.type, event.stepId ?? null, event.at, event.schemaVersion, dataJson);
        }
      } catch (error) {
        if (String((error as Error).message).includes('UNIQUE')) throw journalDuplicateSeqError(runId, error);
        throw error;
      }
      const last = prepared.at(-1)!.event;
      this.#database
        .prepare('UPDATE runs SET last_seq = ?, updated_at = ? WHERE run_id = ?')
        .run(last.seq, last.at, runId);
      return prepared.map((item) => item.event);
    });
  }

  async read(runId: string, options: ReadOptions = {}): Promise<JournalEvent[]> {
    const rows = this.#database
      .prepare(
        'SELECT run_id, seq, type, step_id, at, schema_version, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      )
      .all(runId, options.afterSeq ?? 0, options.limit ?? -1) as unknown as EventRow[];
    return rows.map(eventFromRow);
  }

  async listRuns(options: { limit?: number; label?: { key: string; value: string } } = {}): Promise<RunRecord[]> {
    const limit = options.limit ?? -1;
    const rows = (options.label === undefined
      ? this.#database.prepare('SELECT * FROM runs ORDER BY created_at DESC, ordinal DESC LIMIT ?').all(limit)
      : this.#database
          .prepare(
            `SELECT runs.* FROM runs JOIN run_labels ON run_labels.run_id = runs.run_id
               WHERE run_labels.key = ? AND run_labels.value = ? ORDER BY created_at DESC, ordinal DESC LIMIT ?`,
          )
          .all(options.label.key, options.label.value, limit)) as unknown as RunRow[];
    return rows.map(recordFromRow);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const row = this.#database.prepare('SELECT * FROM runs WHERE run_id = ?').get(runId) as RunRow | undefined;
    return row === undefined ? undefined : recordFromRow(row);
  }

  async putBlob(content: string): Promise<string> {
    const digest = sha256Hex(content);
    this.#database
      .prepare('INSERT INTO blobs (sha256, content, created_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING')
      .run(digest, content, new Date().toISOString());
    return digest;
  }

  async getBlob(sha256: string): Promise<string | undefined> {
    const row = this.#database.prepare('SELECT content FROM blobs WHERE sha256 = ?').get(sha256.toLowerCase()) as
      | { content: string }
      | undefined;
    return row?.content;
  }

  async close(): Promise<void> {
    if (this.#database.isOpen) this.#database.close();
  }

  /** Creates the run if missing; labels given later are added, existing ones kept. */
  #ensureRun(runId: string, labels: Record<string, string>, now: string): void {
    this.#database
      .prepare(
        'INSERT INTO runs (run_id, last_seq, created_at, updated_at, labels) VALUES (?, 0, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING',
      )
      .run(runId, now, now, '{}');
    if (Object.keys(labels).length === 0) return;
    const insertLabel = this.#database.prepare(
      'INSERT INTO run_labels (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO NOTHING',
    );
    for (const [key, value] of Object.entries(labels)) insertLabel.run(runId, key, value);
    const merged = this.#database
      .prepare('SELECT key, value FROM run_labels WHERE run_id = ? ORDER BY key')
      .all(runId) as unknown as { key: string; value: string }[];
    this.#database
      .prepare('UPDATE runs SET labels = ? WHERE run_id = ?')
      .run(JSON.stringify(Object.fromEntries(merged.map((row) => [row.key, row.value]))), runId);
  }

  #transaction<T>(work: () => T): T {
    this.#database.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#database.exec('COMMIT');
      return result;
    } catch (error) {
      this.#database.exec('ROLLBACK');
      throw error;
    }
  }
}
