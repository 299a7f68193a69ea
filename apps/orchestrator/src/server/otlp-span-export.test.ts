import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SqliteJournalStore } from '@orchestrator/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRunEvents } from '../../../../packages/store/test/sample-run-events.ts';
import { createApiApp } from './create-api-app.ts';
import { exportRunSpans, otlpConfigFromEnv } from './otlp-span-export.ts';
import { startSpanExportWatcher } from './span-export-watcher.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback stand-in for an OpenTelemetry collector's OTLP/HTTP receiver. */
async function startCollector(status = 200) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/traces`, received, close: () => server.close() };
}

let store: SqliteJournalStore;
beforeEach(async () => {
  store = SqliteJournalStore.open(':memory:');
  await store.append('run-1', sampleRunEvents({ turns: 2 }).events);
});
afterEach(() => store.close());

describe('OTLP span export', () => {
  it('sends the run spans with their parents, times and attributes to the collector', async () => {
    const collector = await startCollector();
    const result = await exportRunSpans(store, 'run-1', { url: collector.url, headers: { 'x-collector-key': 'k' } });
    collector.close();
    expect(result).toEqual({ exported: 7, open: 0 });
    expect(collector.received).toHaveLength(1);
    const [request] = collector.received;
    expect(request?.path).toBe('/v1/traces');
    expect(request?.headers['x-collector-key']).toBe('k');
    const payload = JSON.parse(request!.body);
    const resource = payload.resourceSpans[0];
    expect(resource.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'orchestrator' },
    });
    const spans = resource.scopeSpans[0].spans as {
      name: string;
      spanId: string;
      parentSpanId?: string;
      attributes: { key: string; value: Record<string, unknown> }[];
    }[];
    expect(spans.map((span) => span.name)).toContain('model-call claude-sonnet-4-5');
    const run = spans.find((span) => span.name === 'run')!;
    const call = spans.find((span) => span.name === 'model-call claude-sonnet-4-5')!;
    expect(run.parentSpanId ?? '').toBe('');
    expect(call.parentSpanId).toMatch(/^[0-9a-f]{16}$/);
    expect(call.attributes).toContainEqual({ key: 'gen_ai.usage.input_tokens', value: { intValue: 1500 } });
  });

  it('reports a collector that refuses the spans as otlp-export-failed', async () => {
    const collector = await startCollector(400);
    await expect(exportRunSpans(store, 'run-1', { url: collector.url })).rejects.toMatchObject({
      code: 'otlp-export-failed',
    });
    collector.close();
  });

  it('reads the standard environment variables and is off without them', () => {
    expect(otlpConfigFromEnv({})).toBeUndefined();
    expect(otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })).toEqual({
      url: 'http://127.0.0.1:4318/v1/traces',
    });
    expect(otlpConfigFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/traces' })).toEqual({
      url: 'http://c/traces',
    });
  });

  it('exports through the API when configured, and answers 501 when not', async () => {
    const token = 'otlp-token-0123456789abcdefghijklmnopqrstuvw';
    const headers = { authorization: `Bearer ${token}` };
    const off = createApiApp({ store, token });
    const refused = await off.request('/api/runs/run-1/spans/export', { method: 'POST', headers });
    expect(refused.status).toBe(501);
    const collector = await startCollector();
    const on = createApiApp({ store, token, otlp: { url: collector.url } });
    const response = await on.request('/api/runs/run-1/spans/export', { method: 'POST', headers });
    collector.close();
    expect(await response.json()).toEqual({ exported: 7, open: 0 });
  });

  it('exports a run once when it ends after the server started, never older runs', async () => {
    const collector = await startCollector();
    const since = new Date().toISOString();
    const watcher = startSpanExportWatcher({ store, otlp: { url: collector.url }, since, intervalMs: 3_600_000 });
    expect(await watcher.tick()).toEqual([]);
    const { events } = sampleRunEvents({ turns: 1, end: false });
    await store.append(
      'run-2',
      events.map(({ at: _at, ...event }) => event),
    );
    expect(await watcher.tick()).toEqual([]);
    await store.append('run-2', [{ type: 'run-end', data: { status: 'converged' } }]);
    expect(await watcher.tick()).toEqual(['run-2']);
    expect(await watcher.tick()).toEqual([]);
    watcher.stop();
    collector.close();
    expect(collector.received).toHaveLength(1);
  });
});
