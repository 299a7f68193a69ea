import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { storeUnavailableError } from '../journal-store-errors.ts';
import { budgetMigrations, budgetMigrationTable } from './budget-migrations.ts';

const busyTimeoutMs = 10_000;

/**
 * Opens the SQLite file (the journal's own file in the CLI: WAL lets the journal and budget connections share it) and
 * applies the budget migrations, each in a `BEGIN IMMEDIATE` transaction so concurrent processes migrate in turn.
 */
export function openBudgetDatabase(filePath: string): DatabaseSync {
  const location = filePath === ':memory:' ? filePath : resolve(filePath);
  let database: DatabaseSync | undefined;
  try {
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    database = new DatabaseSync(location);
    database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA synchronous = NORMAL');
    database.exec('PRAGMA foreign_keys = ON');
    database.exec(`CREATE TABLE IF NOT EXISTS ${budgetMigrationTable} (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    for (const migration of budgetMigrations) {
      runImmediate(database, () => {
        const done = database
          ?.prepare(`SELECT 1 FROM ${budgetMigrationTable} WHERE version = ?`)
          .get(migration.version);
        if (done !== undefined) return;
        database?.exec(migration.sqlite);
        database
          ?.prepare(`INSERT INTO ${budgetMigrationTable} (version, name, applied_at) VALUES (?, ?, ?)`)
          .run(migration.version, migration.name, new Date().toISOString());
      });
    }
    return database;
  } catch (error) {
    database?.close();
    throw storeUnavailableError(location, error);
  }
}

/** Runs `work` in one `BEGIN IMMEDIATE` transaction (the write lock first, so check-then-write is atomic). */
export function runImmediate<Result>(database: DatabaseSync, work: () => Result): Result {
  database.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
