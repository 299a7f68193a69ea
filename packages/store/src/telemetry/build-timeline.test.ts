import type { JournalEvent } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { sampleRunEvents } from '../../test/sample-run-events.ts';
import { SqliteJournalStore } from '../journal/sql-journal-store.ts';
import { buildTimeline } from './build-timeline.ts';

async function journal(options: Parameters<typeof sampleRunEvents>[0] = {}): Promise<JournalEvent[]> {
  const store = SqliteJournalStore.open(':memory:');
  await store.append('run-1', sampleRunEvents(options).events);
  const events = await store.read('run-1');
  await store.close();
  return events;
}

describe('buildTimeline', () => {
  it('summarises every event of a converged run with its totals', async () => {
    const events = await journal();
    const timeline = buildTimeline(events);
    expect(timeline).toMatchObject({
      runId: 'run-1',
      task: 'add a /health endpoint to the API',
      status: 'converged',
      startedAt: '2026-11-24T06:00:00.000Z',
    });
    expect(timeline.entries.map((entry) => entry.seq)).toEqual(events.map((event) => event.seq));
    expect(timeline.entries[0]?.summary).toBe('run started: "add a /health endpoint to the API"');
    const firstCall = timeline.entries.find((entry) => entry.type === 'model-call-end');
    expect(firstCall).toMatchObject({ role: 'architect', durationMs: 2_010 });
    expect(firstCall?.summary).toMatch(/^architect ← claude-sonnet-4-5: 1,500 in \/ 350 out, \$0\.0097$/);
    expect(timeline.entries.at(-1)?.summary).toBe('run ended: converged');
    expect(timeline.totals).toMatchObject({ calls: 4, failedCalls: 0, inputTokens: 1_500 + 2_200 + 2_900 + 3_600 });
    expect(Object.keys(timeline.totalsByRole).sort()).toEqual(['architect', 'builder', 'critic', 'verifier']);
  });

  it('lists the three costliest prompts, most expensive first, with their request blob', async () => {
    const timeline = buildTimeline(await journal({ turns: 8 }));
    const costs = timeline.costliestPrompts.map((prompt) => prompt.costUsd);
    expect(costs).toHaveLength(3);
    expect([...costs].sort((left, right) => right - left)).toEqual(costs);
    const allCosts = timeline.entries.flatMap((entry) => (entry.costUsd === undefined ? [] : [entry.costUsd]));
    expect(costs[0]).toBe(Math.max(...allCosts));
    expect(timeline.costliestPrompts[0]?.requestSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows a paused run as paused with its reason, and running again after resume', async () => {
    const events = await journal({ turns: 2, end: false });
    const next = events.length + 1;
    const pause: JournalEvent = {
      runId: 'run-1',
      seq: next,
      type: 'run-pause',
      at: '2026-11-24T07:00:00.000Z',
      schemaVersion: 1,
      data: { reason: 'budget', detail: 'The next call would exceed $5.' },
    };
    expect(buildTimeline([...events, pause])).toMatchObject({ status: 'paused', pauseReason: 'budget' });
    const resume = { ...pause, seq: next + 1, type: 'run-resume', data: { by: 'api' } };
    const resumed = buildTimeline([...events, pause, resume]);
    expect(resumed.status).toBe('running');
    expect(resumed).not.toHaveProperty('pauseReason');
  });

  it('pages entries after a seq while keeping whole-run totals', async () => {
    const events = await journal();
    const page = buildTimeline(events, { afterSeq: 5, limit: 3 });
    expect(page.entries.map((entry) => entry.seq)).toEqual([6, 7, 8]);
    expect(page.totals.calls).toBe(4);
  });

  it('skips a malformed payload instead of failing the whole timeline', async () => {
    const events = await journal({ turns: 1 });
    const broken: JournalEvent = { ...events[2]!, data: { callId: 42 } };
    const timeline = buildTimeline([events[0]!, events[1]!, broken, ...events.slice(3)]);
    expect(timeline.entries).toHaveLength(events.length);
    expect(timeline.status).toBe('converged');
  });

  it('describes an empty journal as empty', () => {
    expect(buildTimeline([])).toMatchObject({ status: 'empty', entries: [], durationMs: 0 });
  });
});

describe('formatTimeline', () => {
  it('prints every entry, the totals per role and the costliest prompts', async () => {
    const { formatTimeline } = await import('./format-timeline.ts');
    const timeline = buildTimeline(await journal({ turns: 4 }));
    const text = formatTimeline(timeline).join('\n');
    expect(text).toMatch(/^Run run-1 · converged · \d+ s/);
    expect(text).toContain('+00:00  #1     run-start         run started: "add a /health endpoint to the API"');
    expect(text).toMatch(/Tokens: 4 call\(s\) · 10,200 in · /);
    expect(text).toMatch(/Costliest prompts:\n {2}1\. \$0\.018\d builder → claude-sonnet-4-5, 2,900 in \/ 650 out/);
    expect(formatTimeline(timeline).filter((line) => line.startsWith('  +'))).toHaveLength(timeline.entries.length);
  });
});

describe('TimelineAccumulator', () => {
  it('gives the same timeline when fed in pages, with re-applied events ignored', async () => {
    const { TimelineAccumulator } = await import('./timeline-accumulator.ts');
    const events = await journal({ turns: 9, withRateLimit: true });
    const accumulator = new TimelineAccumulator();
    for (let offset = 0; offset < events.length; offset += 7) {
      accumulator.apply(events.slice(Math.max(0, offset - 3), offset + 7));
    }
    const incremental = accumulator.timeline(events.map((event) => accumulator.entry(event)));
    expect(incremental).toEqual(buildTimeline(events));
    expect(accumulator.eventCount).toBe(events.length);
  });
});
