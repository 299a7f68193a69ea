import type { JournalEvent } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { sampleRunEvents } from '../../test/sample-run-events.ts';
import { SqliteJournalStore } from '../journal/sql-journal-store.ts';
import { deriveSpans, traceIdOf } from './derive-spans.ts';

async function journal(options: Parameters<typeof sampleRunEvents>[0] = {}): Promise<JournalEvent[]> {
  const store = SqliteJournalStore.open(':memory:');
  await store.append('run-1', sampleRunEvents(options).events);
  const events = await store.read('run-1');
  await store.close();
  return events;
}

describe('deriveSpans', () => {
  it('nests run → turn → step → model call with times and attributes', async () => {
    const spans = deriveSpans(await journal({ turns: 2 }));
    expect(spans.map((span) => span.kind)).toEqual(['run', 'turn', 'step', 'model-call', 'turn', 'step', 'model-call']);
    const [run, turn, step, call] = spans;
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set([traceIdOf('run-1')]));
    expect(run).toMatchObject({ status: 'ok', attributes: { 'orchestrator.status': 'converged' } });
    expect(run).not.toHaveProperty('parentSpanId');
    expect(turn?.parentSpanId).toBe(run?.spanId);
    expect(step?.parentSpanId).toBe(turn?.spanId);
    expect(call?.parentSpanId).toBe(step?.spanId);
    expect(call).toMatchObject({
      name: 'model-call claude-sonnet-4-5',
      status: 'ok',
      durationMs: 1_500,
      attributes: {
        'orchestrator.role': 'architect',
        'gen_ai.request.model': 'claude-sonnet-4-5',
        'gen_ai.usage.input_tokens': 1_500,
        'gen_ai.usage.output_tokens': 350,
        'orchestrator.cost_usd': 0.00975,
        'orchestrator.cached': false,
        'orchestrator.cache_read_tokens': 0,
      },
    });
    expect(run?.attributes['orchestrator.cost_usd']).toBeCloseTo(0.00975 + 0.00775, 8);
    for (const span of spans) expect(span.endTime! >= span.startTime).toBe(true);
  });

  it('derives the same ids every time, so a re-export never duplicates spans', async () => {
    const events = await journal();
    expect(deriveSpans(events).map((span) => span.spanId)).toEqual(deriveSpans(events).map((span) => span.spanId));
    expect(new Set(deriveSpans(events).map((span) => span.spanId)).size).toBe(deriveSpans(events).length);
  });

  it('marks a failed call as an error span and leaves a running step open', async () => {
    const events = await journal({ turns: 2, withRateLimit: true, end: false });
    const spans = deriveSpans(events.slice(0, -1));
    const failed = spans.find((span) => span.attributes['orchestrator.call_id'] === 'call-2-a');
    expect(failed).toMatchObject({
      status: 'error',
      attributes: { 'orchestrator.error_code': 'model-call-rate-limited' },
    });
    const openStep = spans.filter((span) => span.kind === 'step').at(-1);
    expect(openStep?.status).toBe('unset');
    expect(openStep).not.toHaveProperty('endTime');
    expect(spans[0]).not.toHaveProperty('endTime');
  });
});
