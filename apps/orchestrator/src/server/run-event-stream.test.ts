import type { JournalEvent } from '@orchestrator/spec';
import { NotifyingJournalStore, SqliteJournalStore } from '@orchestrator/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRunEvents } from '../../../../packages/store/test/sample-run-events.ts';
import { createApiApp } from './create-api-app.ts';
import { type RunningApiServer, startApiServer } from './start-api-server.ts';

const token = 'stream-token-0123456789abcdefghijklmnopqrstu';

interface StreamMessage {
  id?: string;
  event?: string;
  data: string;
}

/** Reads SSE messages from a live response until `until` says stop; then closes the connection. */
async function readMessages(response: Response, until: (messages: StreamMessage[]) => boolean) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: StreamMessage[] = [];
  let buffer = '';
  while (!until(messages)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const message: StreamMessage = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) message.id = line.slice(4);
        else if (line.startsWith('event: ')) message.event = line.slice(7);
        else if (line.startsWith('data: ')) message.data += line.slice(6);
      }
      if (block.split('\n').some((line) => !line.startsWith(':'))) messages.push(message);
      boundary = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return messages;
}

const seqs = (messages: StreamMessage[]) =>
  messages
    .filter((message) => message.id !== undefined)
    .map((message) => (JSON.parse(message.data) as JournalEvent).seq);

let store: NotifyingJournalStore;
let server: RunningApiServer;

beforeEach(async () => {
  store = new NotifyingJournalStore(SqliteJournalStore.open(':memory:'));
  server = await startApiServer({ app: createApiApp({ store, token, notifier: store }), port: 0 });
});
afterEach(async () => {
  await server.close();
  await store.close();
});

function open(runId: string, headers: Record<string, string> = {}, query = '') {
  return fetch(`${server.url}/api/runs/${runId}/stream${query}`, {
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
}

describe('GET /api/runs/:runId/stream', () => {
  it('binds to loopback by default', () => {
    expect(server.host).toBe('127.0.0.1');
  });

  it('replays from Last-Event-ID without gaps or duplicates, then ends after run-end', async () => {
    const { events } = sampleRunEvents({ turns: 4 });
    await store.append('run-1', events);
    const response = await open('run-1', { 'last-event-id': '5' });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const messages = await readMessages(response, (received) =>
      received.some((message) => message.event === 'stream-end'),
    );
    expect(seqs(messages)).toEqual(Array.from({ length: events.length - 5 }, (_, index) => index + 6));
    expect(messages.map((message) => message.id).filter(Boolean)).toEqual(seqs(messages).map(String));
    expect(JSON.parse(messages.at(-1)!.data)).toEqual({ lastSeq: events.length });
  });

  it('delivers events appended while connected, in order, once', async () => {
    const { events } = sampleRunEvents({ turns: 2, end: false });
    await store.append('run-1', events.slice(0, 3));
    const response = await open('run-1', {}, '?after=1');
    let appended = false;
    const messages = await readMessages(response, (received) => {
      if (!appended && seqs(received).includes(3)) {
        appended = true;
        void store
          .append('run-1', events.slice(3))
          .then(() => store.append('run-1', [{ type: 'run-end', data: { status: 'converged' } }]));
      }
      return received.some((message) => message.event === 'stream-end');
    });
    expect(seqs(messages)).toEqual(Array.from({ length: events.length }, (_, index) => index + 2));
  });

  it('picks up appends made by another process (no notifier) by polling', async () => {
    const other = SqliteJournalStore.open(':memory:');
    const polling = await startApiServer({ app: createApiApp({ store: other, token, pollIntervalMs: 20 }), port: 0 });
    await other.append('run-2', [{ type: 'run-start', data: {} }]);
    const response = await fetch(`${polling.url}/api/runs/run-2/stream`, {
      headers: { authorization: `Bearer ${token}` },
    });
    let appended = false;
    const messages = await readMessages(response, (received) => {
      if (!appended && received.length === 1) {
        appended = true;
        void other.append('run-2', [{ type: 'run-end', data: { status: 'failed' } }]);
      }
      return received.some((message) => message.event === 'stream-end');
    });
    expect(seqs(messages)).toEqual([1, 2]);
    await polling.close();
    await other.close();
  });

  it('rejects a malformed Last-Event-ID and an unknown run with JSON errors', async () => {
    await store.append('run-1', [{ type: 'run-start', data: {} }]);
    const malformed = await open('run-1', { 'last-event-id': 'abc' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { field: 'Last-Event-ID' } });
    expect((await open('nope')).status).toBe(404);
    const anonymous = await fetch(`${server.url}/api/runs/run-1/stream`);
    expect(anonymous.status).toBe(401);
  });
});
