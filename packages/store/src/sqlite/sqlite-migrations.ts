import type { DatabaseSync } from 'node:sqlite';

/** One schema change, applied once, in order, inside a transaction. Never edit a published migration: add one. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

export const sqliteMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'journal',
    sql: `
      CREATE TABLE runs (
        ordinal INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL UNIQUE,
        last_seq INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        labels TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE run_labels (
        run_id TEXT NOT NULL REFERENCES runs(run_id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
      );
      CREATE INDEX run_labels_by_value ON run_labels (key, value);
      CREATE TABLE events (
        run_id TEXT NOT NULL REFERENCES runs(run_id),
        seq INTEGER NOT NULL CHECK (seq > 0),
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

/** Applies the pending migrations and returns the versions applied now (Kysely-style: a result, not an exception). */
export function migrateSqlite(
  database: DatabaseSync,
  migrations: readonly SqliteMigration[] = sqliteMigrations,
): number[] {
  database.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  for (const migration of migrations) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes opening a fresh file migrate one after the other.
    database.exec('BEGIN IMMEDIATE');
    try {
      const done = database.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
      if (done === undefined) {
        database.exec(migration.sql);
        database
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
        applied.push(migration.version);
      }
      database.exec('COMMIT');
    } catch (error) {
      database.exec('ROLLBACK');
      throw error;
    }
  }
  return applied;
}
