import type { CachedResponse, ModelUsage, ResponseCacheStore } from '@orchestrator/spec';
import { sql } from 'kysely';
import {
  connectPostgresDatabase,
  openSqliteDatabase,
  type PostgresStoreOptions,
  type StoreDatabase,
} from '../database/store-database.ts';
import { isoOf, jsonOf } from '../database/store-schema.ts';
import { parseCachedUsage } from './cached-usage.ts';

/** The response cache, written once for SQLite and PostgreSQL, shared by every run and process using the database. */
export class SqlResponseCacheStore implements ResponseCacheStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: StoreDatabase;

  protected constructor(database: StoreDatabase) {
    this.#database = database;
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    await this.#database.ready;
    // One statement counts the hit and reads the entry, so concurrent readers never lose a count.
    const row = await this.#database.db
      .updateTable('response_cache')
      .set({ hits: sql<number>`hits + 1` })
      .where('key', '=', key)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      key: row.key,
      response: row.response,
      usage: parseCachedUsage(jsonOf(row.usage)),
      createdAt: isoOf(row.created_at),
      hits: Number(row.hits),
    };
  }

  /** Stores a reply; the first reply stored under a key wins. */
  async put(key: string, response: string, usage: ModelUsage): Promise<void> {
    await this.#database.ready;
    await this.#database.db
      .insertInto('response_cache')
      .values({
        key,
        response,
        usage: JSON.stringify(parseCachedUsage(usage)),
        created_at: new Date().toISOString(),
      })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .execute();
  }

  async close(): Promise<void> {
    await this.#database.close();
  }
}

/** The response cache in a SQLite file (the journal's, in the CLI). */
export class SqliteResponseCacheStore extends SqlResponseCacheStore {
  static open(filePath: string): SqliteResponseCacheStore {
    return new SqliteResponseCacheStore(openSqliteDatabase(filePath));
  }
}

/** The response cache on PostgreSQL, shared by every run, process and worker using the database. */
export class PostgresResponseCacheStore extends SqlResponseCacheStore {
  static async connect(
    connectionString: string,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresResponseCacheStore> {
    return new PostgresResponseCacheStore(await connectPostgresDatabase(connectionString, options));
  }
}
