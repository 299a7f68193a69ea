import type { JournalEvent } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { formatSpendReport } from './format-spend-report.ts';
import { spendReport } from './spend-report.ts';

let seq = 0;
function event(runId: string, type: string, data: unknown): JournalEvent {
  seq += 1;
  return { runId, seq, type, at: '2026-11-24T00:00:00.000Z', schemaVersion: 1, data };
}

const usage = (inputTokens: number, outputTokens: number) => ({
  inputTokens,
  outputTokens,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

function runStart(runId: string, labels: Record<string, string>, maxUsd?: number): JournalEvent {
  return event(runId, 'run-start', {
    task: 't',
    repo: '/repo',
    labels,
    roles: [{ role: 'builder', provider: 'anthropic', model: 'claude' }],
    limits: { maxTurns: 10, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 },
    ...(maxUsd === undefined ? {} : { maxUsd }),
  });
}

function call(runId: string, callId: string, role: string, model: string, costUsd: number, cached = false) {
  return [
    event(runId, 'model-call-start', {
      callId,
      role,
      provider: 'p',
      model,
      requestSha256: 'a',
      maxOutputTokens: 100,
      reservedUsd: 0.5,
    }),
    event(runId, 'model-call-end', {
      callId,
      role,
      provider: 'p',
      model,
      responseSha256: 'b',
      usage: usage(1000, 200),
      costUsd,
      cached,
      durationMs: 5,
    }),
  ];
}

describe('spendReport', () => {
  it('breaks a run down by role and model, paid apart from cached tokens', () => {
    const events = [
      runStart('r1', { feature: 'auth' }, 2),
      ...call('r1', 'c1', 'architect', 'claude', 0.1),
      ...call('r1', 'c2', 'builder', 'gpt', 0.2),
      ...call('r1', 'c3', 'builder', 'gpt', 0, true),
    ];
    const report = spendReport(events);
    const [run] = report.runs;
    expect(run).toMatchObject({ runId: 'r1', feature: 'auth', maxUsd: 2 });
    expect(run?.totals).toMatchObject({ calls: 3, cachedCalls: 1, costUsd: 0.3 });
    expect(run?.totals.paidTokens.inputTokens).toBe(2000);
    expect(run?.totals.cachedTokens).toMatchObject({ inputTokens: 1000, outputTokens: 200 });
    expect(run?.byRole.builder).toMatchObject({ calls: 2, cachedCalls: 1, costUsd: 0.2 });
    expect(run?.byModel.claude?.costUsd).toBe(0.1);
  });

  it('groups runs sharing a feature label, most expensive first; unlabelled runs count only in the totals', () => {
    const events = [
      runStart('r1', { feature: 'auth' }),
      ...call('r1', 'c1', 'builder', 'gpt', 0.1),
      runStart('r2', { feature: 'billing' }),
      ...call('r2', 'c1', 'builder', 'gpt', 0.5),
      runStart('r3', { feature: 'auth' }),
      ...call('r3', 'c1', 'critic', 'claude', 0.2),
      runStart('r4', {}),
      ...call('r4', 'c1', 'critic', 'claude', 1),
    ];
    const report = spendReport(events);
    expect(report.features.map((feature) => [feature.feature, feature.runIds, feature.totals.costUsd])).toEqual([
      ['billing', ['r2'], 0.5],
      ['auth', ['r1', 'r3'], 0.3],
    ]);
    expect(report.features[1]?.byRole).toMatchObject({ builder: { costUsd: 0.1 }, critic: { costUsd: 0.2 } });
    expect(report.totals.costUsd).toBe(1.8);
  });

  it('counts failed calls and calls left open by a crash with their reservation', () => {
    const events = [
      runStart('r1', {}),
      event('r1', 'model-call-start', {
        callId: 'c1',
        role: 'builder',
        provider: 'p',
        model: 'gpt',
        requestSha256: 'a',
        maxOutputTokens: 100,
        reservedUsd: 0.25,
      }),
      event('r1', 'model-call-start', {
        callId: 'c2',
        role: 'critic',
        provider: 'p',
        model: 'claude',
        requestSha256: 'a',
        maxOutputTokens: 100,
        reservedUsd: 0.4,
      }),
      event('r1', 'model-call-error', { callId: 'c2', code: 'model-call-auth', kind: 'auth', message: 'no key' }),
    ];
    const run = spendReport(events).runs[0];
    expect(run?.totals).toMatchObject({ calls: 0, failedCalls: 1, openCalls: 1, openReservedUsd: 0.25, costUsd: 0 });
    expect(run?.byRole.critic?.failedCalls).toBe(1);
  });
});

describe('formatSpendReport', () => {
  it('prints the run total with its cap, paid and cached tokens, and the role and model breakdowns', () => {
    const lines = formatSpendReport(
      spendReport([
        runStart('r1', { feature: 'auth' }, 2),
        ...call('r1', 'c1', 'architect', 'claude', 0.1),
        ...call('r1', 'c2', 'builder', 'gpt', 0, true),
      ]),
    );
    expect(lines[0]).toBe('run r1 · feature auth · $0.1000 (cap $2.0000) · 2 call(s), 1 cached');
    expect(lines[1]).toBe('  tokens: 1000 in / 200 out paid, 1000 in / 200 out served from cache');
    expect(lines).toContain('  by role');
    expect(lines.some((line) => /^ {4}architect +\$0\.1000 {2}1 call\(s\)$/.test(line))).toBe(true);
  });
});
