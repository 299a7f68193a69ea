import type { PoolClient } from 'pg';

/** One schema change, applied once, in order. Never edit a published migration: add one. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'journal',
    sql: `
      CREATE TABLE runs (
        ordinal BIGINT GENERATED ALWAYS AS IDENTITY,
        run_id TEXT PRIMARY KEY,
        last_seq BIGINT NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        labels JSONB NOT NULL DEFAULT '{}'::jsonb
      );
      CREATE INDEX runs_newest_first ON runs (created_at DESC, ordinal DESC);
      CREATE INDEX runs_by_labels ON runs USING GIN (labels jsonb_path_ops);
      CREATE TABLE events (
        run_id TEXT NOT NULL REFERENCES runs (run_id),
        seq BIGINT NOT NULL CHECK (seq > 0),
        type TEXT NOT NULL,
        step_id TEXT,
        at TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        data TEXT NOT NULL,
        CONSTRAINT events_run_seq_unique UNIQUE (run_id, seq)
      );
      CREATE INDEX events_by_type ON events (type);
      CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
];

/** Arbitrary constant that names the migration lock, so concurrent starters migrate one after the other. */
const migrationLockKey = 7_310_001;

/** Applies pending migrations in one transaction under an advisory lock; returns the versions applied now. */
export async function migratePostgres(
  client: PoolClient,
  schema: string,
  migrations: readonly PostgresMigration[] = postgresMigrations,
): Promise<number[]> {
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const done = await client.query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations`);
    const doneVersions = new Set(done.rows.map((row) => Number(row.version)));
    for (const migration of migrations) {
      if (doneVersions.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return applied;
}
