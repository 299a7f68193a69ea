import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageBus, resumeRun, startRun } from '@orchestrator/kernel';
import { CappedBudgetLedger, spendReport } from '@orchestrator/kernel/budget/index';
import type { PricingHook } from '@orchestrator/kernel/model/pricing-hook';
import type { RecordedRole } from '@orchestrator/spec';
import { InMemoryWorkspaceProvider, ScriptedModel } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { SqliteJournalStore } from '../journal/sql-journal-store.ts';
import { SqliteBudgetStore } from './sql-budget-store.ts';

/** The scripted model priced like a Sonnet-class model, so the run really spends. */
const pricing: PricingHook = {
  costOfUsage: ({ usage }) => (usage.inputTokens * 3 + usage.outputTokens * 15) / 1e6,
  worstCaseUsd: ({ inputTokens, maxOutputTokens }) => (inputTokens * 3.75 + maxOutputTokens * 15) / 1e6,
};
const roles: RecordedRole[] = (['architect', 'builder', 'critic'] as const).map((role) => ({
  role,
  provider: 'scripted',
  model: 'scripted-v1',
  maxOutputTokens: 4096,
}));
const files = {
  'README.md': '# demo-greeter\n\nA tiny library that greets people.\n',
  'package.json': '{\n  "name": "demo-greeter",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
};
const limits = { maxTurns: 12, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 };

describe('the kernel run loop under a CappedBudgetLedger (SQLite journal and budget in one file)', () => {
  it('pauses on budget without overspending, then resumes to convergence after the cap is raised', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'run-under-cap-')), 'journal.db');
    const store = SqliteJournalStore.open(file);
    const budget = SqliteBudgetStore.open(file);
    const workspaces = new InMemoryWorkspaceProvider(files);
    const models: ScriptedModel[] = [];
    const runtimeWith = (ledger: CappedBudgetLedger) => ({
      store,
      workspaces,
      ledger,
      pricing,
      bus: new MessageBus(),
      modelFor: (binding: RecordedRole) => {
        const model = new ScriptedModel({ modelId: binding.model });
        models.push(model);
        return model;
      },
    });
    try {
      const cap = 0.01; // a whole run costs about $0.015
      const paused = await startRun(runtimeWith(new CappedBudgetLedger({ store: budget, pricing, runCapUsd: cap })), {
        task: 'add a README section',
        repo: '/repo',
        roles,
        limits,
        maxUsd: cap,
      });
      expect(paused.status).toBe('paused');
      expect(paused.pause?.reason).toBe('budget-exhausted');
      expect(paused.pause?.detail).toContain(`orchestrator resume ${paused.runId} --max-usd`);
      expect(paused.spentUsd).toBeGreaterThan(0);
      expect(paused.spentUsd).toBeLessThanOrEqual(cap);
      // Every call the model saw had its output cap clamped to what the budget still held.
      const pausedEvents = await store.read(paused.runId);
      const reserved = pausedEvents
        .filter((event) => event.type === 'model-call-start')
        .map((event) => (event.data as { reservedUsd: number }).reservedUsd);
      expect(reserved.reduce((sum, usd) => sum + usd, 0)).toBeLessThanOrEqual(cap + 1e-9);
      expect((await budget.getAccount(`run:${paused.runId}`))?.settledUsd).toBeLessThanOrEqual(cap);

      const ledger = new CappedBudgetLedger({ store: budget, pricing, runCapUsd: cap });
      await ledger.prepareResume(paused.runId, 5);
      const resumed = await resumeRun(runtimeWith(ledger), paused.runId, { by: 'test' });
      expect(resumed.status).toBe('converged');
      const report = spendReport(await store.read(paused.runId));
      const account = await budget.getAccount(`run:${paused.runId}`);
      expect(report.totals.costUsd).toBeCloseTo(account?.settledUsd ?? -1, 6);
      expect(Object.keys(report.runs[0]?.byRole ?? {}).sort()).toEqual(['architect', 'builder', 'critic']);
      expect(account?.reservedUsd).toBe(0);
    } finally {
      await budget.close();
      await store.close();
    }
  });
});
