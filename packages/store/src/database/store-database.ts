import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { UserError } from '@orchestrator/spec';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { storeUnavailableError } from '../journal-store-errors.ts';
import { type DialectTraits, postgresTraits, sqliteTraits } from './dialect-traits.ts';
import { NodeSqliteDialect } from './node-sqlite-dialect.ts';
import { migrateStore } from './store-migrations.ts';
import type { StoreSchema } from './store-schema.ts';

/** One open, migrated database, whichever dialect: what every store (journal, budget, cache, memory) is built on. */
export interface StoreDatabase {
  readonly db: Kysely<StoreSchema>;
  readonly traits: DialectTraits;
  /** Settles once the migrations ran; rejects with store-unavailable when they failed. Await before each use. */
  readonly ready: Promise<void>;
  /** PostgreSQL: where the store connects and its schema, for LISTEN connections. */
  readonly postgres?: { readonly connectionString: string; readonly schema: string };
  close(): Promise<void>;
}

export interface PostgresStoreOptions {
  /** Schema holding the tables (created if missing); `public` by default. Tests use one schema per run. */
  schema?: string;
  /** Maximum pooled connections; 10 by default. */
  maxConnections?: number;
}

/** How long a SQLite writer waits for another process's write lock before failing. */
const busyTimeoutMs = 10_000;
const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

function database(
  db: Kysely<StoreSchema>,
  traits: DialectTraits,
  ready: Promise<void>,
  postgres?: StoreDatabase['postgres'],
): StoreDatabase {
  // The failure is reported by the first operation that awaits `ready`, not as an unhandled rejection.
  ready.catch(() => {});
  return {
    db,
    traits,
    ready,
    ...(postgres === undefined ? {} : { postgres }),
    close: async () => {
      await ready.catch(() => {});
      await db.destroy();
    },
  };
}

/**
 * Opens (creating the file, user-only, and its parent directories) the SQLite file: WAL, so readers never block the
 * writer and several connections and processes share it. Opening is synchronous; the migrations finish before the
 * first operation (`ready`). `:memory:` works for tests.
 */
export function openSqliteDatabase(filePath: string): StoreDatabase {
  const location = filePath === ':memory:' ? filePath : resolve(filePath);
  let handle: DatabaseSync | undefined;
  try {
    if (location !== ':memory:') {
      mkdirSync(dirname(location), { recursive: true });
      // The journal holds prompts and responses: create it user-only (SQLite gives -wal/-shm the same mode).
      closeSync(openSync(location, 'a', 0o600));
    }
    handle = new DatabaseSync(location);
    handle.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    handle.exec('PRAGMA journal_mode = WAL');
    handle.exec('PRAGMA synchronous = NORMAL');
    handle.exec('PRAGMA foreign_keys = ON');
  } catch (error) {
    handle?.close();
    throw storeUnavailableError(location, error);
  }
  const db = new Kysely<StoreSchema>({ dialect: new NodeSqliteDialect(handle, location) });
  const ready = migrateStore(db, sqliteTraits, undefined).then(
    () => {},
    (error: unknown) => {
      throw storeUnavailableError(location, error);
    },
  );
  return database(db, sqliteTraits, ready);
}

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

/** Connects a pool (search_path = the schema), creates the schema if missing and applies the pending migrations. */
export async function connectPostgresDatabase(
  connectionString: string,
  options: PostgresStoreOptions = {},
): Promise<StoreDatabase> {
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
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateStore(db, postgresTraits, schema);
  } catch (error) {
    await db.destroy();
    throw storeUnavailableError(describeLocation(connectionString), error);
  }
  return database(db, postgresTraits, Promise.resolve(), { connectionString, schema });
}
