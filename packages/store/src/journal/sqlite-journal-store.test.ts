import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { SqliteJournalStore } from './sql-journal-store.ts';

const appliedMigrations = [
  { version: 1, name: 'journal' },
  { version: 2, name: 'budget-accounts-reservations-response-cache-project-notes' },
  { version: 3, name: 'labels-in-the-runs-row' },
];

describe('SqliteJournalStore', () => {
  it('creates missing parent directories, uses WAL and records its migrations once', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'journal-sqlite-'));
    const filePath = join(directory, 'nested', 'deeper', 'journal.db');
    const first = SqliteJournalStore.open(filePath);
    await first.close();
    const second = SqliteJournalStore.open(filePath);
    await second.close();
    expect(existsSync(filePath)).toBe(true);
    expect(statSync(filePath).mode & 0o777).toBe(0o600);
    const database = new DatabaseSync(filePath);
    expect(database.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(database.prepare('SELECT version, name FROM schema_migrations').all()).toEqual(appliedMigrations);
    database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('rejects a duplicate seq at the database level', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'journal-sqlite-'));
    const filePath = join(directory, 'journal.db');
    const store = SqliteJournalStore.open(filePath);
    await store.append('run-a', [{ type: 'run-start', data: {} }]);
    await store.close();
    const database = new DatabaseSync(filePath);
    expect(() =>
      database
        .prepare(
          "INSERT INTO events (run_id, seq, type, at, schema_version, data) VALUES ('run-a', 1, 'x', 'now', 1, '{}')",
        )
        .run(),
    ).toThrow(/UNIQUE/);
    database.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('reports an unusable path as store-unavailable', () => {
    const directory = mkdtempSync(join(tmpdir(), 'journal-sqlite-'));
    expect(() => SqliteJournalStore.open(directory)).toThrow(expect.objectContaining({ code: 'store-unavailable' }));
    rmSync(directory, { recursive: true, force: true });
  });
});
