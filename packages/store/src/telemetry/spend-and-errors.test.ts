import type { JournalEvent } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { sampleRunEvents } from '../../test/sample-run-events.ts';
import { SqliteJournalStore } from '../journal/sql-journal-store.ts';
import { buildErrorCatalog, collectErrors } from './error-catalog.ts';
import { buildSpendReport, summarizeRunSpend } from './spend-report.ts';

async function journal(runId: string, options: Parameters<typeof sampleRunEvents>[0]): Promise<JournalEvent[]> {
  const store = SqliteJournalStore.open(':memory:');
  await store.append(runId, sampleRunEvents(options).events);
  const events = await store.read(runId);
  await store.close();
  return events;
}

describe('spend per feature', () => {
  it('groups runs by their feature label and keeps unlabelled runs apart, most expensive first', async () => {
    const authOne = summarizeRunSpend('run-1', { feature: 'auth' }, await journal('run-1', { turns: 4 }));
    const authTwo = summarizeRunSpend('run-2', { feature: 'auth' }, await journal('run-2', { turns: 2 }));
    const billing = summarizeRunSpend('run-3', { feature: 'billing' }, await journal('run-3', { turns: 1 }));
    const unlabelled = summarizeRunSpend('run-4', {}, await journal('run-4', { turns: 1, feature: '' }));
    const report = buildSpendReport([authOne, authTwo, billing, { ...unlabelled, labels: {} }]);
    expect(report.features.map((feature) => feature.feature)).toEqual(['auth', 'billing', 'run-4']);
    const auth = report.features[0]!;
    expect(auth.runIds).toEqual(['run-1', 'run-2']);
    expect(auth.totals.calls).toBe(6);
    expect(auth.totals.costUsd).toBeCloseTo(authOne.totals.costUsd + authTwo.totals.costUsd, 8);
    expect(Object.keys(auth.costByModel).sort()).toEqual(['claude-sonnet-4-5', 'gpt-5', 'gpt-5-mini']);
    expect(report.features[2]).toMatchObject({ singleRun: true, runIds: ['run-4'] });
    expect(report.totals.calls).toBe(4 + 2 + 1 + 1);
  });

  it('takes the feature from run-start labels when the store record has none', async () => {
    const spend = summarizeRunSpend('run-1', {}, await journal('run-1', { turns: 1, feature: 'search' }));
    expect(buildSpendReport([spend]).features[0]?.feature).toBe('search');
  });
});

describe('error catalog', () => {
  it('counts each code with first/last seen, an example run and a remediation', async () => {
    const early = await journal('run-early', { turns: 2, withRateLimit: true, startAt: '2026-11-01T00:00:00.000Z' });
    const late = await journal('run-late', { turns: 2, withRateLimit: true, startAt: '2026-11-20T00:00:00.000Z' });
    const pause: JournalEvent = {
      runId: 'run-late',
      seq: late.length + 1,
      type: 'run-pause',
      at: '2026-11-20T01:00:00.000Z',
      schemaVersion: 1,
      data: { reason: 'budget', detail: 'Budget $5 reached; raise --max-usd to continue.' },
    };
    const operatorPause = { ...pause, seq: pause.seq + 1, data: { reason: 'operator', detail: 'lunch' } };
    const catalog = buildErrorCatalog([...collectErrors(early), ...collectErrors([...late, pause, operatorPause])]);
    expect(catalog.entries.map((entry) => entry.code)).toEqual(['model-call-rate-limited', 'run-paused-budget']);
    expect(catalog.entries[0]).toMatchObject({
      count: 2,
      runCount: 2,
      firstSeen: '2026-11-01T00:00:12.000Z',
      lastSeen: '2026-11-20T00:00:12.000Z',
      exampleRunId: 'run-late',
      exampleMessage: 'openai returned 429 Too Many Requests',
    });
    expect(catalog.entries[0]?.remediation).toMatch(/throttled/);
    expect(catalog.entries[1]?.remediation).toBe('Budget $5 reached; raise --max-usd to continue.');
  });

  it('picks up error objects other events carry, with their recorded hint', () => {
    const event: JournalEvent = {
      runId: 'run-1',
      seq: 3,
      type: 'step-end',
      at: '2026-11-24T00:00:00.000Z',
      schemaVersion: 1,
      data: { status: 'failed', result: { error: { code: 'patch-conflict', message: 'no match', hint: 'Re-run.' } } },
    };
    expect(buildErrorCatalog(collectErrors([event])).entries).toEqual([
      expect.objectContaining({ code: 'patch-conflict', count: 1, remediation: 'Re-run.' }),
    ]);
  });
});
