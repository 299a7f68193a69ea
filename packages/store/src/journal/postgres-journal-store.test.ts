import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresJournalStore } from './sql-journal-store.ts';

const databaseUrl = process.env.TEST_DATABASE_URL;

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const uniqueSchema = () => `journal_test_${process.pid}_${randomBytes(4).toString('hex')}`;

if (databaseUrl === undefined || databaseUrl === '') {
  if (process.env.CI === 'true') {
    describe('PostgresJournalStore', () => {
      it('runs in CI', () => {
        throw new Error('TEST_DATABASE_URL is not set in CI: the PostgreSQL journal store tests must run there.');
      });
    });
  } else {
    console.warn('SKIPPED: PostgreSQL journal store — set TEST_DATABASE_URL to run it.');
    describe.skip('PostgresJournalStore (skipped: TEST_DATABASE_URL is not set)', () => {
      it('needs TEST_DATABASE_URL', () => {});
    });
  }
} else {
  const url = databaseUrl;
  describe('PostgresJournalStore', () => {
    it('migrates once even when several processes start at the same time', async () => {
      const schema = uniqueSchema();
      const stores = await Promise.all([1, 2, 3].map(() => PostgresJournalStore.connect(url, { schema })));
      for (const store of stores) await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const rows = await client.query(`SELECT version, name FROM "${schema}".schema_migrations`);
      await client.end();
      await dropSchema(schema);
      expect(rows.rows).toEqual([
        { version: 1, name: 'journal' },
        { version: 2, name: 'budget-accounts-reservations-response-cache-project-notes' },
        { version: 3, name: 'labels-in-the-runs-row' },
      ]);
    });

    it('reports an unreachable server as store-unavailable without printing the password', async () => {
      const error = await PostgresJournalStore.connect('postgres://user:s3cret@127.0.0.1:1/none').catch(
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'store-unavailable' });
      expect(String((error as Error).message)).not.toContain('s3cret');
    });

    it('wakes subscribers when another process appends to the run', async () => {
      const schema = uniqueSchema();
      const reader = await PostgresJournalStore.connect(url, { schema });
      const writer = await PostgresJournalStore.connect(url, { schema });
      const woken = new Promise<string>((resolve) => {
        reader.subscribe('run-a', () => resolve('run-a'));
      });
      reader.subscribe('run-b', () => {
        throw new Error('run-b was not appended to');
      });
      await reader.listening();
      await writer.append('run-a', [{ type: 'run-start', data: {} }]);
      expect(await woken).toBe('run-a');
      await writer.close();
      await reader.close();
      await dropSchema(schema);
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await expect(PostgresJournalStore.connect(url, { schema: 'x"; DROP TABLE runs; --' })).rejects.toMatchObject({
        code: 'store-schema-invalid',
      });
    });
  });
}
