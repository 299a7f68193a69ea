import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storeBackends } from '../database/test-support/store-backends.ts';
import { simulateCalls, simulatedCallArbitrary } from './test-support/budget-store-property.ts';
import { runWorker } from './test-support/run-budget-worker.ts';

/** Property runs and calls per run: PostgreSQL round trips make each run slower. */
const propertySize = { SQLite: { runs: 40, maxCalls: 40 }, PostgreSQL: { runs: 15, maxCalls: 30 } };

for (const backend of storeBackends('budget store')) {
  describe(`budget store: ${backend.name}`, () => {
    it('property: concurrent calls of random sizes, prices and failures never settle more than the cap', async () => {
      const database = backend.fresh();
      // Four handles stand for four processes, so holds really race.
      const stores = await Promise.all([0, 1, 2, 3].map(() => database.budget()));
      let run = 0;
      try {
        await fc.assert(
          fc.asyncProperty(
            fc.double({ min: 0.001, max: 5, noNaN: true }),
            fc.array(simulatedCallArbitrary, { minLength: 1, maxLength: propertySize[backend.name].maxCalls }),
            async (capUsd, calls) => {
              run += 1;
              const outcome = await simulateCalls(stores, `run-${run}`, capUsd, calls);
              expect(outcome.settledUsd).toBeLessThanOrEqual(capUsd);
              expect(outcome.reservedUsd).toBe(0);
              expect(outcome.openHolds).toBe(0);
              expect(outcome.settledUsd).toBeCloseTo(outcome.expectedSettledUsd, 6);
            },
          ),
          { numRuns: propertySize[backend.name].runs },
        );
      } finally {
        for (const store of stores) await store.close();
      }
    }, 120_000);

    it('three processes reserving on one database together never exceed the cap, and use it up', async () => {
      const database = backend.fresh();
      await (await database.budget()).close();
      const [location, schema] = database.workerArgs;
      const results = await Promise.all(
        ['a', 'b', 'c'].map((name) => runWorker([location, schema, 'shared', '0.5', '40', name])),
      );
      const store = await database.budget();
      const account = await store.getAccount('run:shared');
      await store.close();
      const grantedUsd = results.reduce((sum, result) => sum + result.grantedUsd, 0);
      expect(account?.settledUsd).toBeLessThanOrEqual(0.5);
      expect(account?.settledUsd).toBeCloseTo(grantedUsd, 6);
      // 120 calls of up to ~$0.09 ask for far more than $0.50: the cap is reached, minus less than one small call.
      expect(account?.settledUsd).toBeGreaterThan(0.5 - 0.02);
      expect(account?.reservedUsd).toBe(0);
    }, 120_000);

    it('partitions carve from the parent and return the unspent part; caps can be raised', async () => {
      const store = await backend.fresh().budget();
      try {
        await store.openAccount({ accountId: 'run:p', capUsd: 1 });
        expect(await store.openAccount({ accountId: 'a', parentId: 'run:p', capUsd: 0.7, partition: true })).toEqual({
          ok: true,
        });
        // Opening it again is idempotent: it carves nothing more.
        expect(await store.openAccount({ accountId: 'a', parentId: 'run:p', capUsd: 0.7, partition: true })).toEqual({
          ok: true,
        });
        expect((await store.openAccount({ accountId: 'b', parentId: 'run:p', capUsd: 0.7, partition: true })).ok).toBe(
          false,
        );
        expect(await store.getAccount('b')).toBeUndefined();
        expect(await store.getAccount('run:p')).toMatchObject({ reservedUsd: 0.7 });
        const hold = await store.hold({
          reservationId: 'c1',
          accountId: 'a',
          runId: 'p',
          fixedUsd: 0.1,
          outputUsdPerToken: 0.001,
          inputTokens: 100,
          maxOutputTokens: 1_000,
          minOutputTokens: 10,
        });
        expect(hold.ok && hold.hold.maxOutputTokens).toBe(600);
        expect(await store.closePartition('a')).toMatchObject({ ok: false });
        expect(await store.settle('c1', 0.2, 300)).toBe(true);
        expect(await store.settle('c1', 0.2, 300)).toBe(false);
        expect(await store.closePartition('a')).toEqual({ ok: true });
        expect(await store.getAccount('run:p')).toMatchObject({ settledUsd: 0.2, reservedUsd: 0 });
        expect(await store.setCap('run:p', 3)).toEqual({ ok: true });
        expect((await store.getAccount('run:p'))?.capUsd).toBe(3);
        expect(await store.setCap('a', 3)).toMatchObject({ ok: false });
        await expect(store.hold({ ...holdRequest, accountId: 'missing' })).rejects.toMatchObject({
          code: 'budget-account-missing',
        });
      } finally {
        await store.close();
      }
    });

    it('migrates once alongside the journal tables in the same database', async () => {
      const database = backend.fresh();
      const journal = await database.journal();
      const [first, second] = [await database.budget(), await database.budget()];
      try {
        expect((await first.openAccount({ accountId: 'run:x', capUsd: 1 })).ok).toBe(true);
        expect(await second.getAccount('run:x')).toMatchObject({ capUsd: 1, settledUsd: 0 });
        await journal.append('x', [{ type: 'run-start', data: {} }]);
        expect(await journal.read('x')).toHaveLength(1);
      } finally {
        await Promise.all([journal.close(), first.close(), second.close()]);
      }
    });
  });
}

const holdRequest = {
  reservationId: 'r',
  accountId: 'a',
  runId: 'p',
  fixedUsd: 0,
  outputUsdPerToken: 0,
  inputTokens: 1,
  maxOutputTokens: 1,
  minOutputTokens: 1,
};
