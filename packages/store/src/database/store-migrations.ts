import { type Kysely, sql } from 'kysely';
import type { DialectTraits } from './dialect-traits.ts';

// biome-ignore lint/suspicious/noExplicitAny: a migration shapes tables the typed schema does not know yet.
type AnyDatabase = Kysely<any>;

/** One schema change, written once for both databases, applied once, in order. Never edit a published one: add one. */
export interface StoreMigration {
  version: number;
  name: string;
  up(db: AnyDatabase, traits: DialectTraits): Promise<void>;
}

/** The table recording applied migrations (version, name, applied_at). */
export const migrationTable = 'schema_migrations';

const journal: StoreMigration = {
  version: 1,
  name: 'journal',
  async up(db, traits) {
    const { integer, json } = traits.types;
    await traits
      .runsKey(db.schema.createTable('runs').ifNotExists())
      .addColumn('last_seq', integer, (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addColumn('labels', json, (column) => column.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .createIndex('runs_newest_first')
      .ifNotExists()
      .on('runs')
      .columns(['created_at desc', 'ordinal desc'])
      .execute();
    await traits.indexLabels(db);
    await db.schema
      .createTable('events')
      .ifNotExists()
      .addColumn('run_id', 'text', (column) => column.notNull().references('runs.run_id'))
      .addColumn('seq', integer, (column) => column.notNull().check(sql`seq > 0`))
      .addColumn('type', 'text', (column) => column.notNull())
      .addColumn('step_id', 'text')
      .addColumn('at', 'text', (column) => column.notNull())
      .addColumn('schema_version', 'integer', (column) => column.notNull())
      .addColumn('data', 'text', (column) => column.notNull())
      .addUniqueConstraint('events_run_seq_unique', ['run_id', 'seq'])
      .execute();
    await db.schema.createIndex('events_by_type').ifNotExists().on('events').column('type').execute();
    await db.schema
      .createTable('blobs')
      .ifNotExists()
      .addColumn('sha256', 'text', (column) => column.primaryKey())
      .addColumn('content', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
  },
};

const budget: StoreMigration = {
  version: 2,
  name: 'budget-accounts-reservations-response-cache-project-notes',
  async up(db, traits) {
    const { integer, flag, json, timestamp } = traits.types;
    const amount = (name: string) => sql`${sql.ref(name)} >= 0`;
    await db.schema
      .createTable('budget_accounts')
      .ifNotExists()
      .addColumn('account_id', 'text', (column) => column.primaryKey())
      .addColumn('parent_id', 'text', (column) => column.references('budget_accounts.account_id'))
      .addColumn('cap_nano', integer)
      .addColumn('max_tokens', integer)
      .addColumn('is_partition', flag, (column) => column.notNull().defaultTo(false))
      .addColumn('closed', flag, (column) => column.notNull().defaultTo(false))
      .addColumn('settled_nano', integer, (column) => column.notNull().defaultTo(0).check(amount('settled_nano')))
      .addColumn('reserved_nano', integer, (column) => column.notNull().defaultTo(0).check(amount('reserved_nano')))
      .addColumn('settled_tokens', integer, (column) => column.notNull().defaultTo(0))
      .addColumn('reserved_tokens', integer, (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', timestamp, (column) => column.notNull())
      .execute();
    await db.schema
      .createTable('budget_reservations')
      .ifNotExists()
      .addColumn('reservation_id', 'text', (column) => column.primaryKey())
      .addColumn('account_id', 'text', (column) => column.notNull().references('budget_accounts.account_id'))
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('amount_nano', integer, (column) => column.notNull().check(amount('amount_nano')))
      .addColumn('tokens', integer, (column) => column.notNull())
      .addColumn('max_output_tokens', integer, (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull().check(sql`status IN ('open', 'settled', 'released')`))
      .addColumn('settled_nano', integer)
      .addColumn('created_at', timestamp, (column) => column.notNull())
      .addColumn('ended_at', timestamp)
      .execute();
    await db.schema
      .createIndex('budget_reservations_by_run')
      .ifNotExists()
      .on('budget_reservations')
      .columns(['run_id', 'status'])
      .execute();
    await db.schema
      .createTable('response_cache')
      .ifNotExists()
      .addColumn('key', 'text', (column) => column.primaryKey())
      .addColumn('response', 'text', (column) => column.notNull())
      .addColumn('usage', json, (column) => column.notNull())
      .addColumn('created_at', timestamp, (column) => column.notNull())
      .addColumn('hits', integer, (column) => column.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('project_notes')
      .ifNotExists()
      .addColumn('repository_key', 'text', (column) => column.notNull())
      .addColumn('key', 'text', (column) => column.notNull())
      .addColumn('text', 'text', (column) => column.notNull())
      .addColumn('run_id', 'text', (column) => column.notNull())
      .addColumn('updated_at', timestamp, (column) => column.notNull())
      .addPrimaryKeyConstraint('project_notes_pkey', ['repository_key', 'key'])
      .execute();
  },
};

/** Labels live in the runs row on both databases; the SQLite-only side table of earlier versions goes. */
const labelsInTheRunsRow: StoreMigration = {
  version: 3,
  name: 'labels-in-the-runs-row',
  async up(db) {
    await db.schema.dropTable('run_labels').ifExists().execute();
  },
};

export const storeMigrations: readonly StoreMigration[] = [journal, budget, labelsInTheRunsRow];

/**
 * Applies the pending migrations in one transaction (SQLite: `BEGIN IMMEDIATE`; PostgreSQL: under an advisory lock),
 * so processes starting together migrate one after the other. Returns the versions applied now.
 */
export async function migrateStore(
  db: AnyDatabase,
  traits: DialectTraits,
  schema: string | undefined,
  migrations: readonly StoreMigration[] = storeMigrations,
): Promise<number[]> {
  return db.transaction().execute(async (transaction) => {
    await traits.lockMigrations(transaction, schema);
    await transaction.schema
      .createTable(migrationTable)
      .ifNotExists()
      .addColumn('version', 'integer', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('applied_at', 'text', (column) => column.notNull())
      .execute();
    const rows = await transaction.selectFrom(migrationTable).select('version').execute();
    const done = new Set(rows.map((row: { version: unknown }) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await migration.up(transaction, traits);
      await transaction
        .insertInto(migrationTable)
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      applied.push(migration.version);
    }
    return applied;
  });
}
