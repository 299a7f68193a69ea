import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, it } from 'vitest';
import { PostgresBudgetStore, type SqlBudgetStore, SqliteBudgetStore } from '../../budget/sql-budget-store.ts';
import {
  PostgresProjectMemoryStore,
  SqliteProjectMemoryStore,
  type SqlProjectMemoryStore,
} from '../../budget/sql-project-memory-store.ts';
import { PostgresJournalStore, SqliteJournalStore, type SqlJournalStore } from '../../journal/sql-journal-store.ts';
import {
  PostgresResponseCacheStore,
  SqliteResponseCacheStore,
  type SqlResponseCacheStore,
} from '../../response-cache/sql-response-cache-store.ts';
import { connectPostgresDatabase, openSqliteDatabase, type StoreDatabase } from '../store-database.ts';

/** One fresh, empty database. Each call opens another handle on it, as another connection or process would. */
export interface FreshDatabase {
  journal(): Promise<SqlJournalStore>;
  budget(): Promise<SqlBudgetStore>;
  responseCache(): Promise<SqlResponseCacheStore>;
  projectMemory(): Promise<SqlProjectMemoryStore>;
  database(): Promise<StoreDatabase>;
  /** How a worker process finds the database: its location and schema (`-` for none). */
  workerArgs: [string, string];
  /** Runs SQL beside the stores; returns the tables then present and the rows of the last statement. */
  raw(statements: readonly string[]): Promise<{ tables: string[]; rows: unknown[] }>;
  /** Deletes the database (file or schema), once every handle is closed. */
  dispose(): Promise<void>;
}

export interface StoreBackend {
  name: 'SQLite' | 'PostgreSQL';
  fresh(): FreshDatabase;
}

function sqliteDatabase(): FreshDatabase {
  const directory = mkdtempSync(join(tmpdir(), 'store-test-'));
  const file = join(directory, 'journal.db');
  return {
    journal: async () => SqliteJournalStore.open(file),
    budget: async () => SqliteBudgetStore.open(file),
    responseCache: async () => SqliteResponseCacheStore.open(file),
    projectMemory: async () => SqliteProjectMemoryStore.open(file),
    database: async () => openSqliteDatabase(file),
    workerArgs: [file, '-'],
    async raw(statements) {
      const database = new DatabaseSync(file);
      try {
        for (const statement of statements.slice(0, -1)) database.exec(statement);
        const rows = database.prepare(statements.at(-1) ?? 'SELECT 1').all();
        const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
        return { tables: tables.map((row) => String(row.name)), rows: rows.map((row) => ({ ...row })) };
      } finally {
        database.close();
      }
    },
    dispose: async () => rmSync(directory, { recursive: true, force: true }),
  };
}

function postgresDatabase(url: string, schema: string): FreshDatabase {
  const options = { schema, maxConnections: 3 };
  return {
    journal: () => PostgresJournalStore.connect(url, options),
    budget: () => PostgresBudgetStore.connect(url, options),
    responseCache: () => PostgresResponseCacheStore.connect(url, options),
    projectMemory: () => PostgresProjectMemoryStore.connect(url, options),
    database: () => connectPostgresDatabase(url, options),
    workerArgs: [url, schema],
    async raw(statements) {
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        let rows: unknown[] = [];
        for (const statement of statements) rows = (await client.query(statement)).rows;
        const tables = await client.query<{ tablename: string }>(
          'SELECT tablename FROM pg_tables WHERE schemaname = $1',
          [schema],
        );
        return { tables: tables.rows.map((row) => row.tablename), rows };
      } finally {
        await client.end();
      }
    },
    dispose: () => dropSchemas(url, [schema]),
  };
}

async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

/**
 * The databases a store suite runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set (one schema per
 * fresh database, dropped after the file's tests). Without it the PostgreSQL half of `suite` is skipped with a
 * warning, and fails in CI, where it must run.
 */
export function storeBackends(suite: string): StoreBackend[] {
  const backends: StoreBackend[] = [{ name: 'SQLite', fresh: sqliteDatabase }];
  const url = process.env.TEST_DATABASE_URL;
  if (url === undefined || url === '') {
    if (process.env.CI === 'true') {
      it(`runs the PostgreSQL ${suite} in CI`, () => {
        throw new Error(`TEST_DATABASE_URL is not set in CI: the PostgreSQL ${suite} must run there.`);
      });
    } else {
      console.warn(`SKIPPED: PostgreSQL ${suite} — set TEST_DATABASE_URL to run it.`);
    }
    return backends;
  }
  const schemas: string[] = [];
  afterAll(() => dropSchemas(url, schemas));
  backends.push({
    name: 'PostgreSQL',
    fresh() {
      const schema = `store_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return postgresDatabase(url, schema);
    },
  });
  return backends;
}
