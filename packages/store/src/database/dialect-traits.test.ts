import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { storeBackends } from './test-support/store-backends.ts';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the statement to fail');
    },
    (error: unknown) => error,
  );
}

for (const backend of storeBackends('dialect traits')) {
  describe(`dialect traits: ${backend.name}`, () => {
    it('tells a unique-key violation from other failures by its error code', async () => {
      const database = await backend.fresh().database();
      const { db, traits } = database;
      try {
        await database.ready;
        const blob = { sha256: 'a'.repeat(64), content: 'x', created_at: new Date().toISOString() };
        await db.insertInto('blobs').values(blob).execute();
        const duplicate = await failure(db.insertInto('blobs').values(blob).execute());
        expect(traits.isUniqueViolation(duplicate)).toBe(true);
        const notNull = await failure(sql`INSERT INTO blobs (sha256) VALUES ('b')`.execute(db));
        expect(traits.isUniqueViolation(notNull)).toBe(false);
        expect(traits.isUniqueViolation(new Error('UNIQUE constraint failed'))).toBe(false);
      } finally {
        await database.close();
      }
    });

    it('filters runs by one label held in the runs row', async () => {
      const database = await backend.fresh().database();
      const { db, traits } = database;
      try {
        await database.ready;
        const now = new Date().toISOString();
        await db
          .insertInto('runs')
          .values([
            { run_id: 'labels-a', created_at: now, updated_at: now, labels: '{"feature":"auth","repo":"x"}' },
            { run_id: 'labels-b', created_at: now, updated_at: now, labels: '{"feature":"billing","auth":"feature"}' },
          ])
          .execute();
        const matching = await db
          .selectFrom('runs')
          .select('run_id')
          .where(traits.labelMatches('feature', 'auth'))
          .where('run_id', 'like', 'labels-%')
          .execute();
        expect(matching.map((row) => row.run_id)).toEqual(['labels-a']);
      } finally {
        await database.close();
      }
    });
  });
}
