// Journal store and API figures: append throughput (SQLite, PostgreSQL), API latency on a 100,000-event run
// (timeline, spend, spans), and SSE delivery latency from append to client. Prints figures; asserts nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalStore, NewJournalEvent } from '@orchestrator/spec';
import {
  type JournalAppendNotifier,
  NotifyingJournalStore,
  PostgresJournalStore,
  SqliteJournalStore,
} from '@orchestrator/store';
import pg from 'pg';
import { createApiApp } from '../apps/orchestrator/src/server/create-api-app.ts';
import { startApiServer } from '../apps/orchestrator/src/server/start-api-server.ts';
import { sampleRunEvents } from '../packages/store/test/sample-run-events.ts';

const token = randomBytes(32).toString('base64url');
const directory = mkdtempSync(join(tmpdir(), 'store-bench-'));
const bigRunSize = 100_000;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

const format = (value: number, digits = 1) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

/** A journal of about `count` realistic events. */
function bigJournal(count: number): NewJournalEvent[] {
  const { events } = sampleRunEvents({ turns: Math.ceil(count / 5.5) + 2, end: false });
  return [...events.slice(0, count - 1), { type: 'run-end', data: { status: 'converged' } }];
}

async function appendThroughput(label: string, store: JournalStore): Promise<void> {
  const events = bigJournal(20_000);
  for (const batchSize of [1, 100]) {
    const runId = `throughput-${batchSize}`;
    const total = batchSize === 1 ? 5_000 : events.length;
    const started = performance.now();
    for (let offset = 0; offset < total; offset += batchSize) {
      await store.append(runId, events.slice(offset, Math.min(offset + batchSize, total)));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`${label}: append ${format(total / seconds, 0)} events/s (batches of ${batchSize}, ${total} events)`);
  }
}

// 1. Append throughput.
const sqlite = SqliteJournalStore.open(join(directory, 'journal.db'));
await appendThroughput('SQLite', sqlite);
const databaseUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
if (databaseUrl) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const postgres = await PostgresJournalStore.connect(databaseUrl, { schema });
  await appendThroughput('PostgreSQL', postgres);
  await postgres.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
} else {
  console.log('PostgreSQL: skipped (set TEST_DATABASE_URL to measure it)');
}

// 2. API latency on a 100,000-event run.
const journal = bigJournal(bigRunSize);
await sqlite.createRun('big-run', { feature: 'bench' });
for (let offset = 0; offset < journal.length; offset += 1_000) {
  await sqlite.append('big-run', journal.slice(offset, offset + 1_000));
}
const app = createApiApp({ store: sqlite, token });
async function latency(path: string, repeats: number): Promise<number[]> {
  const durations: number[] = [];
  for (let index = 0; index < repeats; index += 1) {
    const started = performance.now();
    const response = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    durations.push(performance.now() - started);
  }
  return durations;
}
console.log(`API on a ${format(bigRunSize, 0)}-event run (SQLite, in-process requests):`);
// The first request folds the whole journal into the server's per-run projections; later ones fold only new events.
const [firstRequest] = await latency('/api/runs/big-run/timeline?limit=100', 1);
console.log(`  first request (folds the journal): ${format(firstRequest!, 0)} ms`);
for (const [label, path, repeats] of [
  ['timeline, all 100,000 entries', '/api/runs/big-run/timeline', 3],
  ['timeline, totals + top-3 + 100 entries', '/api/runs/big-run/timeline?limit=100', 10],
  ['run detail', '/api/runs/big-run', 10],
  ['spans (derived from the whole journal)', '/api/runs/big-run/spans', 3],
  ['spend per feature', '/api/spend', 10],
] as const) {
  const durations = await latency(path, repeats);
  console.log(`  ${label}: median ${format(percentile(durations, 0.5), 1)} ms (n=${repeats})`);
}
// A fresh app has folded nothing yet: its first spend request folds every journal (125,000 events here).
const coldApp = createApiApp({ store: sqlite, token });
const coldStarted = performance.now();
await (await coldApp.request('/api/spend', { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
console.log(`  spend on a fresh server (folds all runs): ${format(performance.now() - coldStarted, 0)} ms`);

// 3. SSE delivery latency append → client.
async function sseLatency(
  label: string,
  store: JournalStore,
  notifier: JournalAppendNotifier | undefined,
  writer: JournalStore = store,
) {
  const server = await startApiServer({
    app: createApiApp({ store, token, ...(notifier === undefined ? {} : { notifier }), pollIntervalMs: 100 }),
    port: 0,
  });
  await store.append('sse-run', [{ type: 'run-start', data: {} }]);
  const response = await fetch(`${server.url}/api/runs/sse-run/stream?after=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const durations: number[] = [];
  let buffer = '';
  for (let index = 0; index < 200; index += 1) {
    const started = performance.now();
    const [event] = await writer.append('sse-run', [{ type: 'message', data: { index } }]);
    while (!buffer.includes(`id: ${event!.seq}\n`)) buffer += (await reader.read()).value ?? '';
    durations.push(performance.now() - started);
  }
  await reader.cancel();
  await server.close();
  console.log(
    `SSE append → client, ${label}: p50 ${format(percentile(durations, 0.5), 2)} ms, p95 ${format(percentile(durations, 0.95), 2)} ms (n=200)`,
  );
}
const notifying = new NotifyingJournalStore(SqliteJournalStore.open(join(directory, 'sse.db')));
await sseLatency('same process (notified)', notifying, notifying);
if (databaseUrl) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const reader = await PostgresJournalStore.connect(databaseUrl, { schema });
  const writer = await PostgresJournalStore.connect(databaseUrl, { schema });
  await reader.listening();
  await sseLatency('PostgreSQL, other process (LISTEN/NOTIFY)', reader, reader, writer);
  await writer.close();
  await reader.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
}
const polled = SqliteJournalStore.open(join(directory, 'sse-polled.db'));
await sseLatency('SQLite, other process (polled every 100 ms)', polled, undefined);

await notifying.close();
await polled.close();
await sqlite.close();
rmSync(directory, { recursive: true, force: true });
