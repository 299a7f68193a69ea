import { UserError } from '@orchestrator/spec';
import pg from 'pg';
import { storeUnavailableError } from '../journal-store-errors.ts';
import { budgetMigrations, budgetMigrationTable } from './budget-migrations.ts';

export interface PostgresBudgetOptions {
  /** Schema holding the tables (created if missing); `public` by default. */
  schema?: string;
  /** Maximum pooled connections; 10 by default. */
  maxConnections?: number;
}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

function describeLocation(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = '';
    return url.toString();
  } catch {
    return 'the configured PostgreSQL database';
  }
}

/** A lock key for the budget migrations (any constant distinct from the journal's). */
const migrationLockKey = 4_242_004;

/** Connects a pool (search_path = schema), creates the schema if missing and applies the budget migrations. */
export async function connectBudgetPool(connectionString: string, options: PostgresBudgetOptions): Promise<pg.Pool> {
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
  pool.on('error', () => {});
  try {
    await withTransaction(pool, async (client) => {
      // Serialises concurrent migrators (several processes starting at once) until this transaction ends.
      await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${budgetMigrationTable} (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
      for (const migration of budgetMigrations) {
        const done = await client.query(`SELECT 1 FROM ${budgetMigrationTable} WHERE version = $1`, [
          migration.version,
        ]);
        if (done.rowCount !== 0) continue;
        await client.query(migration.postgres);
        await client.query(`INSERT INTO ${budgetMigrationTable} (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
    });
  } catch (error) {
    await pool.end();
    throw storeUnavailableError(describeLocation(connectionString), error);
  }
  return pool;
}

/** Runs `work` in one transaction on a pooled client; rolls back on any error. */
export async function withTransaction<Result>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<Result>,
): Promise<Result> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  } finally {
    client.release();
  }
}
