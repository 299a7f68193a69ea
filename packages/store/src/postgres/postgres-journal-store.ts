import type {
  AppendOptions,
  JournalEvent,
  JournalStore,
  NewJournalEvent,
  ReadOptions,
  RunRecord,
} from '@orchestrator/spec';
import { UserError } from '@orchestrator/spec';
import pg from 'pg';
import { journalConflictError, journalDuplicateSeqError, storeUnavailableError } from '../journal-store-errors.ts';
import type { JournalAppendNotifier } from '../notifying-journal-store.ts';
import { type EventRow, eventFromRow, prepareEvents, sha256Hex } from '../prepare-events.ts';
import { PostgresAppendListener } from './postgres-append-listener.ts';
import { migratePostgres } from './postgres-migrations.ts';

export interface PostgresJournalStoreOptions {
  /** Schema holding the tables (created if missing); `public` by default. Tests use one schema per run. */
  schema?: string;
  /** Maximum pooled connections; 10 by default. */
  maxConnections?: number;
}

interface RunRow {
  run_id: string;
  last_seq: string | number;
  created_at: string;
  updated_at: string;
  labels: Record<string, string>;
}

function recordFromRow(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    lastSeq: Number(row.last_seq),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    labels: row.labels,
  };
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;
const uniqueViolation = '23505';

/** Where the store connects, without the password, for error messages. */
function describeLocation(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    return url.toString();
  } catch {
    return 'the configured PostgreSQL database';
  }
}

/**
 * The shared journal store for teams and worker fleets. An append row-locks its run (an upsert held until COMMIT), so
 * concurrent appenders of one run queue up instead of interleaving; the UNIQUE (run_id, seq) constraint backs that up.
 * Each batch is one transaction: written whole or not at all.
 */
export class PostgresJournalStore implements JournalStore, JournalAppendNotifier {
  readonly specificationVersion = 'v1' as const;
  readonly #pool: pg.Pool;
  readonly #channel: string;
  readonly #listener: PostgresAppendListener;

  private constructor(pool: pg.Pool, connectionString: string, schema: string) {
    this.#pool = pool;
    this.#channel = `orchestrator_journal_${schema}`.slice(0, 63);
    this.#listener = new PostgresAppendListener(connectionString, this.#channel);
  }

  /** Connects, creates the schema if missing and applies pending migrations. */
  static async connect(
    connectionString: string,
    options: PostgresJournalStoreOptions = {},
  ): Promise<PostgresJournalStore> {
    const schema = options.schema ?? 'public';
    if (!schemaName.test(schema)) {
      throw new UserError({
        code: 'store-schema-invalid',
        message: `The PostgreSQL schema name ${JSON.stringify(schema)} is not a plain lower-case identifier.`,
        hint: 'Use letters, digits and underscores, starting with a letter.',
      });
    }
    const pool = new pg.Pool({
      connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
    });
    // An idle pooled connection that dies (server restart) must not crash the process.
    pool.on('error', () => {});
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, schema);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw storeUnavailableError(describeLocation(connectionString), error);
    }
    return new PostgresJournalStore(pool, connectionString, schema);
  }

  async createRun(runId: string, labels: Record<string, string>): Promise<void> {
    const now = new Date().toISOString();
    // Existing labels win over new ones: `new || old` keeps the old value for a key present in both.
    await this.#pool.query(
      `INSERT INTO runs (run_id, created_at, updated_at, labels) VALUES ($1, $2, $2, $3::jsonb)
       ON CONFLICT (run_id) DO UPDATE SET labels = EXCLUDED.labels || runs.labels`,
      [runId, now, JSON.stringify(labels)],
    );
  }

  async append(
    runId: string,
    events: readonly NewJournalEvent[],
    options: AppendOptions = {},
  ): Promise<JournalEvent[]> {
    const now = new Date().toISOString();
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      try {
        // The upsert creates the run if missing and, either way, row-locks it until COMMIT: concurrent appenders of
        // one run queue here, and each sees the last seq its predecessor committed.
        const locked = await client.query<{ last_seq: string }>(
          `INSERT INTO runs (run_id, created_at, updated_at) VALUES ($1, $2, $2)
           ON CONFLICT (run_id) DO UPDATE SET run_id = EXCLUDED.run_id RETURNING last_seq`,
          [runId, now],
        );
        const lastSeq = Number(locked.rows[0]!.last_seq);
        if (options.expectedLastSeq !== undefined && options.expectedLastSeq !== lastSeq) {
          throw journalConflictError(runId, options.expectedLastSeq, lastSeq);
        }
        const prepared = prepareEvents(runId, events, lastSeq, now);
        if (prepared.length > 0) {
          const last = prepared.at(-1)!.event;
          await client.query(
            `WITH inserted AS (
               INSERT INTO events (run_id, seq, type, step_id, at, schema_version, data)
               SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])
               RETURNING seq
             ),
             notified AS (SELECT pg_notify($10, $1))
             UPDATE runs SET last_seq = $8, updated_at = $9 FROM notified WHERE run_id = $1`,
            [
              runId,
              prepared.map((item) => item.event.seq),
              prepared.map((item) => item.event.type),
              prepared.map((item) => item.event.stepId ?? null),
              prepared.map((item) => item.event.at),
              prepared.map((item) => item.event.schemaVersion),
              prepared.map((item) => item.dataJson),
              last.seq,
              last.at,
              this.#channel,
            ],
          );
        }
        await client.query('COMMIT');
        return prepared.map((item) => item.event);
      } catch (error) {
        await client.query('ROLLBACK');
        if ((error as { code?: unknown }).code === uniqueViolation) throw journalDuplicateSeqError(runId, error);
        throw error;
      }
    } finally {
      client.release();
    }
  }

  async read(runId: string, options: ReadOptions = {}): Promise<JournalEvent[]> {
    const result = await this.#pool.query<EventRow>(
      `SELECT run_id, seq, type, step_id, at, schema_version, data FROM events
       WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [runId, options.afterSeq ?? 0, options.limit ?? null],
    );
    return result.rows.map(eventFromRow);
  }

  async listRuns(options: { limit?: number; label?: { key: string; value: string } } = {}): Promise<RunRecord[]> {
    const label = options.label === undefined ? null : JSON.stringify({ [options.label.key]: options.label.value });
    const result = await this.#pool.query<RunRow>(
      `SELECT run_id, last_seq, created_at, updated_at, labels FROM runs
       WHERE $1::jsonb IS NULL OR labels @> $1::jsonb
       ORDER BY created_at DESC, ordinal DESC LIMIT $2`,
      [label, options.limit ?? null],
    );
    return result.rows.map(recordFromRow);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    const result = await this.#pool.query<RunRow>(
      'SELECT run_id, last_seq, created_at, updated_at, labels FROM runs WHERE run_id = $1',
      [runId],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : recordFromRow(row);
  }

  async putBlob(content: string): Promise<string> {
    const digest = sha256Hex(content);
    await this.#pool.query(
      'INSERT INTO blobs (sha256, content, created_at) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING',
      [digest, content, new Date().toISOString()],
    );
    return digest;
  }

  async getBlob(sha256: string): Promise<string | undefined> {
    const result = await this.#pool.query<{ content: string }>('SELECT content FROM blobs WHERE sha256 = $1', [
      sha256.toLowerCase(),
    ]);
    return result.rows[0]?.content;
  }

  /** Calls `listener` after each append to `runId` committed by any process (LISTEN/NOTIFY). */
  subscribe(runId: string, listener: () => void): () => void {
    return this.#listener.subscribe(runId, listener);
  }

  /** Resolves once append notifications are being received. */
  listening(): Promise<void> {
    return this.#listener.ready();
  }

  async close(): Promise<void> {
    await this.#listener.close();
    if (!this.#pool.ended) await this.#pool.end();
  }
}
