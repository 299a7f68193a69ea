import type { DatabaseSync } from 'node:sqlite';
import type { CachedResponse, ModelUsage, ResponseCacheStore } from '@orchestrator/spec';
import { openBudgetDatabase, runImmediate } from '../budget/sqlite-budget-database.ts';
import { parseCachedUsage } from './cached-usage.ts';

interface CacheRow {
  key: string;
  response: string;
  usage: string;
  created_at: string;
  hits: number | bigint;
}

/** The response cache in a SQLite file (the journal's, in the CLI), shared by every run and process using it. */
export class SqliteResponseCacheStore implements ResponseCacheStore {
  readonly specificationVersion = 'v1' as const;
  readonly #database: DatabaseSync;

  private constructor(database: DatabaseSync) {
    this.#database = database;
  }

  static open(filePath: string): SqliteResponseCacheStore {
    return new SqliteResponseCacheStore(openBudgetDatabase(filePath));
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    return runImmediate(this.#database, () => {
      const row = this.#database
        .prepare('UPDATE response_cache SET hits = hits + 1 WHERE key = ? RETURNING *')
        .get(key) as unknown as CacheRow | undefined;
      if (row === undefined) return undefined;
      return {
        key: row.key,
        response: row.response,
        usage: parseCachedUsage(JSON.parse(row.usage)),
        createdAt: row.created_at,
        hits: Number(row.hits),
      };
    });
  }

  async put(key: string, response: string, usage: ModelUsage): Promise<void> {
    this.#database
      .prepare(
        'INSERT INTO response_cache (key, response, usage, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
      )
      .run(key, response, JSON.stringify(parseCachedUsage(usage)), new Date().toISOString());
  }

  async close(): Promise<void> {
    if (this.#database.isOpen) this.#database.close();
  }
}
