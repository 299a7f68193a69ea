import type {
  AppendOptions,
  JournalEvent,
  JournalStore,
  NewJournalEvent,
  ReadOptions,
  RunRecord,
} from '@orchestrator/spec';
import { CompiledQuery, type Transaction } from 'kysely';
import {
  connectPostgresDatabase,
  openSqliteDatabase,
  type PostgresStoreOptions,
  type StoreDatabase,
} from '../database/store-database.ts';
import { jsonOf, type StoreSchema } from '../database/store-schema.ts';
import { journalConflictError, journalDuplicateSeqError } from '../journal-store-errors.ts';
import type { JournalAppendNotifier } from '../notifying-journal-store.ts';
import { eventFromRow, type PreparedEvent, prepareEvents, sha256Hex } from '../prepare-events.ts';
import { PostgresAppendListener } from './postgres-append-listener.ts';

/** Rows per INSERT statement: 7 parameters each stays well under both databases' parameter limits. */
const rowsPerInsert = 1_000;

interface RunRow {
  run_id: string;
  last_seq: number | string | bigint;
  created_at: string;
  updated_at: string;
  labels: unknown;
}

function recordFromRow(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    lastSeq: Number(row.last_seq),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    labels: jsonOf(row.labels) as Record<string, string>,
  };
}

/** The NOTIFY channel of a PostgreSQL schema's journal. */
function channelOf(database: StoreDatabase): string {
  return `orchestrator_journal_${database.postgres?.schema ?? ''}`.slice(0, 63);
}

/**
 * The journal store, written once for SQLite and PostgreSQL. Each append is one transaction that first locks its run
 * (an upsert of the run row: a row lock until COMMIT on PostgreSQL; SQLite's `BEGIN IMMEDIATE` holds the database
 * write lock), so concurrent appenders of one run queue up and each sees the last seq its predecessor committed; the
 * UNIQUE (run_id, seq) constraint backs that up. A batch is written whole or not at all.
 */
export class SqlJournalStore implements JournalStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: StoreDatabase;
  readonly #channel: string;

  protected constructor(database: StoreDatabase) {
    this.#database = database;
    this.#channel = channelOf(database);
  }

  async createRun(runId: string, labels: Record<string, string>): Promise<void> {
    await this.#database.ready;
    const now = new Date().toISOString();
    await this.#database.db.transaction().execute(async (transaction) => {
      const run = await lockRun(transaction, runId, now);
      const existing = jsonOf(run.labels) as Record<string, string>;
      // Labels given later are added; existing ones are kept.
      const merged = { ...labels, ...existing };
      if (Object.keys(merged).length === Object.keys(existing).length) return;
      await transaction
        .updateTable('runs')
        .set({ labels: JSON.stringify(merged) })
        .where('run_id', '=', runId)
        .execute();
    });
  }

  async append(
    runId: string,
    events: readonly NewJournalEvent[],
    options: AppendOptions = {},
  ): Promise<JournalEvent[]> {
    await this.#database.ready;
    const { db, traits } = this.#database;
    const now = new Date().toISOString();
    try {
      return await db.transaction().execute(async (transaction) => {
        const lastSeq = Number((await lockRun(transaction, runId, now)).last_seq);
        if (options.expectedLastSeq !== undefined && options.expectedLastSeq !== lastSeq) {
          throw journalConflictError(runId, options.expectedLastSeq, lastSeq);
        }
        const prepared = prepareEvents(runId, events, lastSeq, now);
        const last = prepared.at(-1)?.event;
        if (last === undefined) return [];
        for (let start = 0; start < prepared.length; start += rowsPerInsert) {
          await insertEvents(transaction, traits.name, runId, prepared.slice(start, start + rowsPerInsert));
        }
        const update = transaction
          .updateTable('runs')
          .set({ last_seq: last.seq, updated_at: last.at })
          .where('run_id', '=', runId);
        const notice = traits.appendNotice(this.#channel, runId);
        await (notice === undefined ? update : update.returning(notice.as('notified'))).execute();
        return prepared.map((item) => item.event);
      });
    } catch (error) {
      if (traits.isUniqueViolation(error)) throw journalDuplicateSeqError(runId, error);
      throw error;
    }
  }

  async read(runId: string, options: ReadOptions = {}): Promise<JournalEvent[]> {
    await this.#database.ready;
    const { limit } = options;
    const rows = await this.#database.db
      .selectFrom('events')
      .select(['run_id', 'seq', 'type', 'step_id', 'at', 'schema_version', 'data'])
      .where('run_id', '=', runId)
      .where('seq', '>', options.afterSeq ?? 0)
      .orderBy('seq')
      .$if(limit !== undefined, (query) => query.limit(limit ?? 0))
      .execute();
    return rows.map(eventFromRow);
  }

  async listRuns(options: { limit?: number; label?: { key: string; value: string } } = {}): Promise<RunRecord[]> {
    await this.#database.ready;
    const { db, traits } = this.#database;
    const { label, limit } = options;
    const rows = await db
      .selectFrom('runs')
      .select(['run_id', 'last_seq', 'created_at', 'updated_at', 'labels'])
      .$if(label !== undefined, (query) => query.where(traits.labelMatches(label?.key ?? '', label?.value ?? '')))
      .orderBy('created_at', 'desc')
      .orderBy('ordinal', 'desc')
      .$if(limit !== undefined, (query) => query.limit(limit ?? 0))
      .execute();
    return rows.map(recordFromRow);
  }

  async getRun(runId: string): Promise<RunRecord | undefined> {
    await this.#database.ready;
    const row = await this.#database.db
      .selectFrom('runs')
      .select(['run_id', 'last_seq', 'created_at', 'updated_at', 'labels'])
      .where('run_id', '=', runId)
      .executeTakeFirst();
    return row === undefined ? undefined : recordFromRow(row);
  }

  async putBlob(content: string): Promise<string> {
    await this.#database.ready;
    const digest = sha256Hex(content);
    await this.#database.db
      .insertInto('blobs')
      .values({ sha256: digest, content, created_at: new Date().toISOString() })
      .onConflict((conflict) => conflict.column('sha256').doNothing())
      .execute();
    return digest;
  }

  async getBlob(sha256: string): Promise<string | undefined> {
    await this.#database.ready;
    const row = await this.#database.db
      .selectFrom('blobs')
      .select('content')
      .where('sha256', '=', sha256.toLowerCase())
      .executeTakeFirst();
    return row?.content;
  }

  async close(): Promise<void> {
    await this.#database.close();
  }
}

/** The INSERT text for a batch of n events, per dialect: building it is costly, its shape only varies with n. */
const insertTexts = new Map<string, string>();

/** Inserts a batch of events in one statement, reusing the statement text built for batches of its size. */
async function insertEvents(
  transaction: Transaction<StoreSchema>,
  dialect: string,
  runId: string,
  batch: readonly PreparedEvent[],
): Promise<void> {
  const rows = batch.map(({ event, dataJson }) => ({
    run_id: runId,
    seq: event.seq,
    type: event.type,
    step_id: event.stepId ?? null,
    at: event.at,
    schema_version: event.schemaVersion,
    data: dataJson,
  }));
  // Row-major, in the column order above: the order the query builder gives the parameters of a multi-row insert.
  const parameters = rows.flatMap((row) => Object.values(row));
  const key = `${dialect}:${rows.length}`;
  let text = insertTexts.get(key);
  if (text === undefined) {
    const compiled = transaction.insertInto('events').values(rows).compile();
    if (JSON.stringify(compiled.parameters) !== JSON.stringify(parameters)) {
      throw new Error('unreachable: the query builder ordered the insert parameters differently');
    }
    text = compiled.sql;
    insertTexts.set(key, text);
  }
  await transaction.executeQuery(CompiledQuery.raw(text, parameters));
}

/** Creates the run if missing and, either way, locks it until the transaction ends; returns its row. */
async function lockRun(
  transaction: Transaction<StoreSchema>,
  runId: string,
  now: string,
): Promise<Pick<RunRow, 'last_seq' | 'labels'>> {
  return transaction
    .insertInto('runs')
    .values({ run_id: runId, created_at: now, updated_at: now })
    .onConflict((conflict) => conflict.column('run_id').doUpdateSet({ last_seq: (row) => row.ref('runs.last_seq') }))
    .returning(['last_seq', 'labels'])
    .executeTakeFirstOrThrow();
}

/**
 * The embedded journal store: one SQLite file (WAL), shared safely by several connections and processes. Other
 * processes' appends are seen by polling.
 */
export class SqliteJournalStore extends SqlJournalStore {
  /** Opens (creating the file and its parent directories) and migrates the store. `:memory:` works for tests. */
  static open(filePath: string): SqliteJournalStore {
    return new SqliteJournalStore(openSqliteDatabase(filePath));
  }
}

export type PostgresJournalStoreOptions = PostgresStoreOptions;

/**
 * The shared journal store for teams and worker fleets, on PostgreSQL. Appends NOTIFY the run id on the schema's
 * channel at commit, so subscribers in every process wake at once (LISTEN).
 */
export class PostgresJournalStore extends SqlJournalStore implements JournalAppendNotifier {
  readonly #listener: PostgresAppendListener;

  private constructor(database: StoreDatabase, connectionString: string) {
    super(database);
    this.#listener = new PostgresAppendListener(connectionString, channelOf(database));
  }

  /** Connects, creates the schema if missing and applies pending migrations. */
  static async connect(
    connectionString: string,
    options: PostgresJournalStoreOptions = {},
  ): Promise<PostgresJournalStore> {
    return new PostgresJournalStore(await connectPostgresDatabase(connectionString, options), connectionString);
  }

  /** Calls `listener` after each append to `runId` committed by any process (LISTEN/NOTIFY). */
  subscribe(runId: string, listener: () => void): () => void {
    return this.#listener.subscribe(runId, listener);
  }

  /** Resolves once append notifications are being received. */
  listening(): Promise<void> {
    return this.#listener.ready();
  }

  override async close(): Promise<void> {
    await this.#listener.close();
    await super.close();
  }
}
