import type { JournalStore, SpendRow } from '@orchestrator/spec';
import { buildErrorCatalog, buildSpendReport, deriveSpans } from '@orchestrator/store';
import type { Hono } from 'hono';
import type { ApiAppOptions } from './api-app-options.ts';
import { ApiRequestError, parseSeq } from './api-errors.ts';
import { streamRunEvents } from './run-event-stream.ts';
import { RunProjections } from './run-projections.ts';
import { StreamSlots } from './stream-slots.ts';

const previewLength = 400;

function parseLimit(raw: string | undefined, fallback: number, maximum: number): number {
  const value = parseSeq(raw, 'limit');
  if (value === undefined) return fallback;
  if (value === 0 || value > maximum) {
    throw new ApiRequestError(400, {
      code: 'api-parameter-invalid',
      message: `Invalid "limit": expected 1 to ${maximum}, got ${value}.`,
      field: 'limit',
    });
  }
  return value;
}

function parseLabel(raw: string | undefined): { key: string; value: string } | undefined {
  if (raw === undefined || raw === '') return undefined;
  const separator = raw.indexOf(':');
  if (separator <= 0) {
    throw new ApiRequestError(400, {
      code: 'api-parameter-invalid',
      message: `Invalid "label": expected key:value, got ${JSON.stringify(raw)}.`,
      field: 'label',
    });
  }
  return { key: raw.slice(0, separator), value: raw.slice(separator + 1) };
}

async function requireRun(store: JournalStore, runId: string) {
  const record = await store.getRun(runId);
  if (record === undefined) {
    throw new ApiRequestError(404, {
      code: 'run-not-found',
      message: `There is no run ${runId}.`,
      hint: 'List runs with GET /api/runs.',
    });
  }
  return record;
}

/** The read side: runs, run detail, events, live stream, timeline, spans, spend, errors. */
export function addReadRoutes(app: Hono, options: ApiAppOptions): void {
  const { store } = options;
  const projections = new RunProjections(store);
  const streams = new StreamSlots(options.maxStreams);

  app.get('/api/health', (context) => context.json({ ok: true, store: store.specificationVersion }));

  app.get('/api/runs', async (context) => {
    const label = parseLabel(context.req.query('label'));
    const records = await store.listRuns({
      limit: parseLimit(context.req.query('limit'), 100, 1_000),
      ...(label === undefined ? {} : { label }),
    });
    const runs = [];
    for (const record of records) runs.push(await projections.listItem(record));
    return context.json({ runs });
  });

  app.get('/api/runs/:runId', async (context) => {
    const record = await requireRun(store, context.req.param('runId'));
    const state = await projections.refresh(record);
    const { entries: _entries, ...timeline } = state.timeline.timeline([]);
    return context.json({
      run: await projections.listItem(record),
      control: state.control,
      timeline: { ...timeline, eventCount: state.timeline.eventCount },
    });
  });

  app.get('/api/runs/:runId/events', async (context) => {
    const record = await requireRun(store, context.req.param('runId'));
    const afterSeq = parseSeq(context.req.query('after'), 'after') ?? 0;
    const limit = parseLimit(context.req.query('limit'), 1_000, 100_000);
    const events = await store.read(record.runId, { afterSeq, limit });
    return context.json({ events, lastSeq: record.lastSeq });
  });

  app.get('/api/runs/:runId/stream', async (context) => {
    const record = await requireRun(store, context.req.param('runId'));
    const fromHeader = parseSeq(context.req.header('last-event-id'), 'Last-Event-ID');
    const afterSeq = fromHeader ?? parseSeq(context.req.query('after'), 'after') ?? 0;
    const release = streams.acquire();
    return streamRunEvents(context, {
      onEnd: release,
      store,
      ...(options.notifier === undefined ? {} : { notifier: options.notifier }),
      runId: record.runId,
      afterSeq,
      pollIntervalMs: options.pollIntervalMs ?? 100,
      heartbeatMs: options.heartbeatMs ?? 15_000,
    });
  });

  app.get('/api/runs/:runId/timeline', async (context) => {
    const record = await requireRun(store, context.req.param('runId'));
    const afterSeq = parseSeq(context.req.query('after'), 'after') ?? 0;
    const limit = parseSeq(context.req.query('limit'), 'limit');
    const state = await projections.refresh(record);
    // Entries stop at the fold's seq, so totals and entries describe the same moment of a live run.
    const page = await store.read(record.runId, { afterSeq, ...(limit === undefined ? {} : { limit }) });
    const entries = page.filter((event) => event.seq <= state.lastSeq).map((event) => state.timeline.entry(event));
    const timeline = state.timeline.timeline(entries);
    for (const prompt of timeline.costliestPrompts) {
      if (prompt.requestSha256 === undefined) continue;
      const content = await store.getBlob(prompt.requestSha256);
      if (content !== undefined) prompt.promptPreview = content.slice(0, previewLength);
    }
    return context.json(timeline);
  });

  app.get('/api/runs/:runId/spans', async (context) => {
    const record = await requireRun(store, context.req.param('runId'));
    return context.json({ spans: deriveSpans(await store.read(record.runId)) });
  });

  app.get('/api/spend', async (context) => {
    const groupBy = context.req.query('groupBy') || 'feature';
    const records = await store.listRuns({ limit: parseLimit(context.req.query('limit'), 1_000, 10_000) });
    const spends = [];
    for (const record of records) spends.push(await projections.runSpend(record));
    const report = buildSpendReport(spends, groupBy);
    const features: SpendRow[] = report.features.map((feature) => ({
      key: feature.feature,
      runs: feature.runIds.length,
      runIds: feature.runIds,
      inputTokens: feature.totals.inputTokens,
      outputTokens: feature.totals.outputTokens,
      cachedTokens: feature.totals.cacheReadTokens,
      calls: feature.totals.calls,
      costUsd: feature.totals.costUsd,
      costByModel: feature.costByModel,
    }));
    return context.json({ groupBy, features, totals: report.totals });
  });

  app.get('/api/errors', async (context) => {
    const records = await store.listRuns({ limit: parseLimit(context.req.query('limit'), 1_000, 10_000) });
    const occurrences = [];
    for (const record of records) occurrences.push(...(await projections.errors(record)));
    return context.json(buildErrorCatalog(occurrences));
  });
}
