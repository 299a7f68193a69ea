import { type CreateTableBuilder, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations and locks run before (and beside) the typed schema.
type AnyDatabase = Kysely<any>;

/**
 * Everything the SQLite and PostgreSQL stores do differently, in one place. The stores, the migrations and the
 * migration runner are written once against Kysely; they ask these traits where the two databases part ways.
 */
export interface DialectTraits {
  readonly name: 'sqlite' | 'postgres';
  /** Column types the migrations use. */
  readonly types: {
    readonly integer: 'integer' | 'bigint';
    readonly flag: 'integer' | 'boolean';
    readonly json: 'text' | 'jsonb';
    readonly timestamp: 'text' | 'timestamptz';
  };
  /**
   * Whether a transaction must lock the rows it reads before writing them (`SELECT … FOR UPDATE`, taken in id order
   * so two transactions never deadlock). SQLite needs no row locks: `BEGIN IMMEDIATE` takes the database write lock.
   */
  readonly rowLocks: boolean;
  /** Adds the runs table's key: run_id unique, and an insertion-order `ordinal` that breaks created_at ties. */
  runsKey(table: CreateTableBuilder<'runs'>): CreateTableBuilder<'runs', 'ordinal' | 'run_id'>;
  /** Indexes the labels JSON where the database can (a GIN index on PostgreSQL). */
  indexLabels(db: AnyDatabase): Promise<void>;
  /** A predicate: the run's labels hold `key` = `value`. */
  labelMatches(key: string, value: string): RawBuilder<SqlBool>;
  /** Whether an error is a unique-key violation, told by its error code (never by its message). */
  isUniqueViolation(error: unknown): boolean;
  /** Serialises concurrent migrators inside the migration transaction, creating the schema when there is one. */
  lockMigrations(db: AnyDatabase, schema: string | undefined): Promise<void>;
  /**
   * An expression that tells other processes a run grew, for the appending transaction to return (PostgreSQL
   * NOTIFY, delivered at COMMIT, dropped on ROLLBACK). Undefined on SQLite, which has no such channel: readers poll.
   */
  appendNotice(channel: string, runId: string): RawBuilder<unknown> | undefined;
}

/** SQLite's extended result codes for UNIQUE and PRIMARY KEY constraint failures. */
const sqliteUniqueCodes = new Set([2067, 1555]);
/** PostgreSQL's SQLSTATE for unique_violation. */
const postgresUniqueViolation = '23505';
/** Arbitrary constant naming the PostgreSQL migration lock, so concurrent starters migrate one after the other. */
const migrationLockKey = 7_310_001;

export const sqliteTraits: DialectTraits = {
  name: 'sqlite',
  types: { integer: 'integer', flag: 'integer', json: 'text', timestamp: 'text' },
  rowLocks: false,
  runsKey: (table) =>
    table
      .addColumn('ordinal', 'integer', (column) => column.primaryKey().autoIncrement())
      .addColumn('run_id', 'text', (column) => column.notNull().unique()),
  indexLabels: async () => {},
  labelMatches: (key, value) =>
    sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(runs.labels) AS label WHERE label.key = ${key} AND label.value = ${value})`,
  isUniqueViolation: (error) => sqliteUniqueCodes.has((error as { errcode?: unknown } | undefined)?.errcode as number),
  // BEGIN IMMEDIATE, which opened the migration transaction, already holds the write lock.
  lockMigrations: async () => {},
  appendNotice: () => undefined,
};

export const postgresTraits: DialectTraits = {
  name: 'postgres',
  types: { integer: 'bigint', flag: 'boolean', json: 'jsonb', timestamp: 'timestamptz' },
  rowLocks: true,
  runsKey: (table) =>
    table
      .addColumn('ordinal', 'bigint', (column) => column.generatedAlwaysAsIdentity())
      .addColumn('run_id', 'text', (column) => column.primaryKey()),
  indexLabels: async (db) => {
    await sql`CREATE INDEX IF NOT EXISTS runs_by_labels ON runs USING GIN (labels jsonb_path_ops)`.execute(db);
  },
  labelMatches: (key, value) => sql<SqlBool>`runs.labels @> ${JSON.stringify({ [key]: value })}::jsonb`,
  isUniqueViolation: (error) => (error as { code?: unknown } | undefined)?.code === postgresUniqueViolation,
  lockMigrations: async (db, schema) => {
    await sql`SELECT pg_advisory_xact_lock(${migrationLockKey})`.execute(db);
    if (schema !== undefined) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(db);
  },
  appendNotice: (channel, runId) => sql`pg_notify(${channel}, ${runId})`,
};
