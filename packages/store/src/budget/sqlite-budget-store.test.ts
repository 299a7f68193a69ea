import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SqliteBudgetStore } from './sqlite-budget-store.ts';
import { simulateCalls, simulatedCallArbitrary } from './test-support/budget-store-property.ts';
import { runWorker } from './test-support/run-budget-worker.ts';

const freshFile = () => join(mkdtempSync(join(tmpdir(), 'budget-store-')), 'journal.sqlite');

describe('SqliteBudgetStore', () => {
  it('property: concurrent calls of random sizes, prices and failures never settle more than the cap', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        fc.array(simulatedCallArbitrary, { minLength: 1, maxLength: 40 }),
        async (capUsd, calls) => {
          const file = freshFile();
          const stores = [0, 1, 2, 3].map(() => SqliteBudgetStore.open(file));
          try {
            run += 1;
            const outcome = await simulateCalls(stores, `run-${run}`, capUsd, calls);
            expect(outcome.settledUsd).toBeLessThanOrEqual(capUsd);
            expect(outcome.reservedUsd).toBe(0);
            expect(outcome.openHolds).toBe(0);
            expect(outcome.settledUsd).toBeCloseTo(outcome.expectedSettledUsd, 6);
          } finally {
            for (const store of stores) await store.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('three processes reserving on one file together never exceed the cap, and use it up', async () => {
    const file = freshFile();
    const setup = SqliteBudgetStore.open(file);
    await setup.close();
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) => runWorker([file, '-', 'shared', '0.5', '40', name])),
    );
    const store = SqliteBudgetStore.open(file);
    const account = await store.getAccount('run:shared');
    await store.close();
    const grantedUsd = results.reduce((sum, result) => sum + result.grantedUsd, 0);
    expect(account?.settledUsd).toBeLessThanOrEqual(0.5);
    expect(account?.settledUsd).toBeCloseTo(grantedUsd, 6);
    // 120 calls of up to ~$0.09 ask for far more than $0.50: the cap is reached, minus less than one small call.
    expect(account?.settledUsd).toBeGreaterThan(0.5 - 0.02);
    expect(account?.reservedUsd).toBe(0);
  });

  it('migrates idempotently alongside the journal tables in the same file', async () => {
    const file = freshFile();
    const { SqliteJournalStore } = await import('../sqlite/sqlite-journal-store.ts');
    const journal = SqliteJournalStore.open(file);
    const first = SqliteBudgetStore.open(file);
    const second = SqliteBudgetStore.open(file);
    expect((await first.openAccount({ accountId: 'run:x', capUsd: 1 })).ok).toBe(true);
    expect(await second.getAccount('run:x')).toMatchObject({ capUsd: 1, settledUsd: 0 });
    await journal.append('x', [{ type: 'run-start', data: {} }]);
    expect(await journal.read('x')).toHaveLength(1);
    await Promise.all([journal.close(), first.close(), second.close()]);
  });
});
