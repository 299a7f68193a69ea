import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import type { ReplayExchange } from './cassette.ts';

/** A request the replay server received, in arrival order. */
export interface ReceivedRequest {
  /** 1-based arrival order. */
  sequence: number;
  method: string;
  /** Path without query. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** Label of the exchange served, or `unmatched`. */
  servedLabel: string;
  /** `Date.now()` on arrival; for diagnostics, never for assertions on durations. */
  receivedAt: number;
}

export interface ReplayServerOptions {
  /**
   * `queue` (default): every request gets the next queued exchange, whatever it asks.
   * `match`: a request gets the first unused exchange with the same method, path and JSON body.
   */
  mode?: 'queue' | 'match';
  /** Exchanges available from the start. */
  exchanges?: readonly ReplayExchange[];
  /**
   * Computes a reply when no queued exchange matches (e.g. `scriptedWireResponder`: the scripted model's answer in
   * the vendor's wire format). Such replies are synthetic and labelled so.
   */
  respond?: (request: { method: string; path: string; body: unknown }) => Promise<ReplayExchange | undefined>;
}

export interface ReplayServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Requests received so far. */
  readonly requests: readonly ReceivedRequest[];
  /** Adds exchanges to the end of the queue. */
  enqueue(...exchanges: ReplayExchange[]): void;
  /** Exchanges not yet served. */
  pending(): number;
  /** Resolves when the server has received at least `count` requests. */
  waitForRequests(count: number): Promise<readonly ReceivedRequest[]>;
  close(): Promise<void>;
}

/** Headers the server recomputes rather than replays: the body is sent decoded, with its own length. */
const recomputedHeaders = new Set([
  'content-length',
  'transfer-encoding',
  'content-encoding',
  'connection',
  'keep-alive',
]);

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function writeExchange(exchange: ReplayExchange, response: ServerResponse): void {
  const { status, headers, body } = exchange.response;
  const cut = exchange.cutAfterBytes;
  const flat: string[] = [];
  for (const [name, value] of headers) {
    if (!recomputedHeaders.has(name)) flat.push(name, value);
  }
  if (cut === undefined) {
    flat.push('content-length', String(body.length));
    response.writeHead(status, flat);
    response.end(body);
    return;
  }
  // A cut stream: chunked framing, part of the body, then the socket is destroyed without the terminating chunk.
  response.writeHead(status, flat);
  response.write(body.subarray(0, Math.min(cut, body.length)), () => {
    response.socket?.destroy();
  });
}

/** Starts an HTTP server on 127.0.0.1 (ephemeral port) that plays back recorded and synthetic provider exchanges. */
export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const mode = options.mode ?? 'queue';
  const queue: ReplayExchange[] = [...(options.exchanges ?? [])];
  const requests: ReceivedRequest[] = [];
  const waiters: Array<{ count: number; resolve: (value: readonly ReceivedRequest[]) => void }> = [];

  const take = (method: string, path: string, body: unknown): ReplayExchange | undefined => {
    const index =
      mode === 'queue'
        ? 0
        : queue.findIndex(
            (exchange) =>
              exchange.request.method === method &&
              exchange.request.path === path &&
              (exchange.request.body === undefined || isDeepStrictEqual(exchange.request.body, body)),
          );
    if (index < 0 || index >= queue.length) return undefined;
    return queue.splice(index, 1)[0];
  };

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const method = (request.method ?? 'GET').toUpperCase();
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      const exchange = take(method, path, body) ?? (await options.respond?.({ method, path, body }));
      requests.push({
        sequence: requests.length + 1,
        method,
        path,
        headers: request.headers,
        body,
        servedLabel: exchange?.label ?? 'unmatched',
        receivedAt: Date.now(),
      });
      for (const waiter of [...waiters]) {
        if (requests.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve([...requests]);
        }
      }
      if (exchange === undefined) {
        const message = `replay server: no recorded exchange for ${method} ${path} (mode ${mode})`;
        response.writeHead(599, { 'content-type': 'application/json', 'x-should-retry': 'false' });
        response.end(JSON.stringify({ type: 'error', error: { type: 'replay_unmatched', message } }));
        return;
      }
      if (exchange.holdFirstByte !== undefined) await exchange.holdFirstByte.catch(() => undefined);
      if (response.destroyed) return;
      writeExchange(exchange, response);
    })().catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('replay server: no TCP address');

  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    enqueue: (...exchanges) => {
      queue.push(...exchanges);
    },
    pending: () => queue.length,
    waitForRequests: (count) =>
      requests.length >= count
        ? Promise.resolve([...requests])
        : new Promise((resolve) => {
            waiters.push({ count, resolve });
          }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
