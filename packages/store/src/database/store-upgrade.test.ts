import { describe, expect, it } from 'vitest';
import { storeMigrations } from './store-migrations.ts';
import { storeBackends } from './test-support/store-backends.ts';

for (const backend of storeBackends('store upgrade')) {
  describe(`store upgrade: ${backend.name}`, () => {
    it('opens a database written before the one-store migrations and keeps its runs, labels and holds', async () => {
      const database = backend.fresh();
      const journal = await database.journal();
      await journal.createRun('old-run', { feature: 'auth' });
      await journal.append('old-run', [{ type: 'run-start', data: {} }]);
      const budget = await database.budget();
      await budget.openAccount({ accountId: 'run:old-run', capUsd: 1 });
      const held = await budget.hold({
        reservationId: 'open-hold',
        accountId: 'run:old-run',
        runId: 'old-run',
        fixedUsd: 0.1,
        outputUsdPerToken: 0,
        inputTokens: 10,
        maxOutputTokens: 10,
        minOutputTokens: 1,
      });
      expect(held.ok).toBe(true);
      await Promise.all([journal.close(), budget.close()]);
      // Earlier versions: the journal migrations alone in schema_migrations, the budget tables recorded in their own
      // table, and (SQLite) the labels kept again in a side table.
      const legacy = [
        'DELETE FROM schema_migrations WHERE version > 1',
        'CREATE TABLE budget_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT)',
        "INSERT INTO budget_schema_migrations (version, name) VALUES (1, 'budget')",
        'CREATE TABLE run_labels (run_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL)',
        "INSERT INTO run_labels VALUES ('old-run', 'feature', 'auth')",
      ];
      expect((await database.raw(legacy)).tables).toContain('run_labels');

      const [upgradedJournal, upgradedBudget] = [await database.journal(), await database.budget()];
      try {
        const labelled = await upgradedJournal.listRuns({ label: { key: 'feature', value: 'auth' } });
        expect(labelled.map((run) => run.runId)).toEqual(['old-run']);
        expect((await upgradedJournal.append('old-run', [{ type: 'run-end', data: {} }]))[0]?.seq).toBe(2);
        expect((await upgradedBudget.openHolds('old-run')).map((hold) => hold.reservationId)).toEqual(['open-hold']);
        expect(await upgradedBudget.settle('open-hold', 0.05, 5)).toBe(true);
        expect((await upgradedBudget.getAccount('run:old-run'))?.settledUsd).toBeCloseTo(0.05, 9);
      } finally {
        await Promise.all([upgradedJournal.close(), upgradedBudget.close()]);
      }
      const after = await database.raw(['SELECT version FROM schema_migrations ORDER BY version']);
      expect(after.tables).not.toContain('run_labels');
      expect(after.rows).toEqual(storeMigrations.map((migration) => ({ version: migration.version })));
    });
  });
}
