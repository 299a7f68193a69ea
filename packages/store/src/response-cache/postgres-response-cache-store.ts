import type { CachedResponse, ModelUsage, ResponseCacheStore } from '@orchestrator/spec';
import type pg from 'pg';
import { connectBudgetPool, type PostgresBudgetOptions } from '../budget/postgres-budget-database.ts';
import { parseCachedUsage } from './cached-usage.ts';

interface CacheRow {
  key: string;
  response: string;
  usage: unknown;
  created_at: Date;
  hits: string;
}

/** The response cache on PostgreSQL, shared by every run, process and worker using the database. */
export class PostgresResponseCacheStore implements ResponseCacheStore {
  readonly specificationVersion = 'v1' as const;
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  static async connect(
    connectionString: string,
    options: PostgresBudgetOptions = {},
  ): Promise<PostgresResponseCacheStore> {
    return new PostgresResponseCacheStore(await connectBudgetPool(connectionString, options));
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    const result = await this.#pool.query<CacheRow>(
      'UPDATE response_cache SET hits = hits + 1 WHERE key = $1 RETURNING *',
      [key],
    );
    const row = result.rows[0];
    if (row === undefined) return undefined;
    return {
      key: row.key,
      response: row.response,
      usage: parseCachedUsage(row.usage),
      createdAt: row.created_at.toISOString(),
      hits: Number(row.hits),
    };
  }

  async put(key: string, response: string, usage: ModelUsage): Promise<void> {
    await this.#pool.query(
      'INSERT INTO response_cache (key, response, usage) VALUES ($1, $2, $3::jsonb) ON CONFLICT (key) DO NOTHING',
      [key, response, JSON.stringify(parseCachedUsage(usage))],
    );
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
