import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultFixturesDirectory, listCassettes, loadCassette, type ReplayExchange } from './cassette.ts';
import { type ReplayServer, startReplayServer } from './replay-server.ts';
import { cutStreamFault, overloadedFault, rateLimitedFault, slowFirstByteFault } from './synthetic-faults.ts';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A raw HTTP exchange: status, headers and body bytes as received (or how far it got before the socket closed). */
function rawPost(url: string, path: string, body: unknown, method = 'POST') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer; aborted: boolean }>(
    (resolve, reject) => {
      const request = httpRequest(`${url}${path}`, { method, headers: { 'content-type': 'application/json' } });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let aborted = false;
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('aborted', () => {
          aborted = true;
        });
        response.on('error', () => {
          aborted = true;
        });
        response.on('close', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
            aborted,
          }),
        );
      });
      request.on('error', reject);
      request.end(method === 'GET' ? undefined : JSON.stringify(body));
    },
  );
}

const cassette = (name: string): ReplayExchange[] =>
  loadCassette(join(defaultFixturesDirectory, 'anthropic-cassettes', name));

describe('replay server', () => {
  it('matches every recorded request by method, path and body and replays status, headers and body bytes', async () => {
    const exchanges = [...listCassettes('anthropic-cassettes'), ...listCassettes('openai-cassettes')].flatMap((path) =>
      loadCassette(path),
    );
    // Served in reverse order, so only matching (not queue order) can pick the right reply.
    server = await startReplayServer({ mode: 'match', exchanges: [...exchanges].reverse() });
    for (const exchange of exchanges) {
      const received = await rawPost(
        server.url,
        exchange.request.path,
        exchange.request.body ?? {},
        exchange.request.method,
      );
      // Recordings with identical requests (the same prompt recorded twice) are interchangeable; any of them may answer.
      const twins = exchanges.filter(
        (other) =>
          other.request.path === exchange.request.path && isDeepStrictEqual(other.request.body, exchange.request.body),
      );
      expect(
        twins.some((twin) => twin.response.status === received.status && twin.response.body.equals(received.body)),
        exchange.label,
      ).toBe(true);
      if (twins.length > 1) continue;
      expect(received.body.equals(exchange.response.body), exchange.label).toBe(true);
      for (const [name, value] of exchange.response.headers) {
        if (['content-length', 'transfer-encoding', 'content-encoding', 'connection', 'keep-alive'].includes(name))
          continue;
        expect(String(received.headers[name]), `${exchange.label} ${name}`).toContain(value);
      }
    }
    expect(server.pending()).toBe(0);
  });

  it('keeps the SSE framing and the padding the service added', async () => {
    const [stream] = cassette('test_anthropic_model_thinking_part_stream.yaml');
    server = await startReplayServer({ exchanges: [stream!] });
    const received = await rawPost(server.url, '/v1/messages', {});
    const text = received.body.toString('utf8');
    expect(text.startsWith('event: message_start\ndata: {')).toBe(true);
    expect(text).toMatch(/\} {2,}\}\n\nevent: content_block_start/);
    expect(received.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  });

  it('in match mode serves the exchange whose method, path and body match, whatever the order', async () => {
    const exchanges = cassette('test_anthropic_tool_output.yaml');
    server = await startReplayServer({ mode: 'match', exchanges });
    const second = exchanges[1]!;
    const received = await rawPost(server.url, second.request.path, second.request.body);
    expect(received.body.equals(second.response.body)).toBe(true);
    const unmatched = await rawPost(server.url, '/v1/messages', { model: 'other' });
    expect(unmatched.status).toBe(599);
    expect(server.requests.map((request) => request.servedLabel)).toEqual([second.label, 'unmatched']);
  });

  it('labels synthetic faults and serves them with the documented shapes', async () => {
    const limited = rateLimitedFault('anthropic', { retryAfterSeconds: 3 });
    const overloaded = overloadedFault('anthropic');
    expect([limited.synthetic, overloaded.synthetic]).toEqual([true, true]);
    server = await startReplayServer({ exchanges: [limited, overloaded] });
    const first = await rawPost(server.url, '/v1/messages', {});
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('3');
    const second = await rawPost(server.url, '/v1/messages', {});
    expect(second.status).toBe(529);
    expect(JSON.parse(second.body.toString('utf8'))).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('cuts a stream mid-body: the client sees part of the bytes and a broken connection', async () => {
    const [stream] = cassette('test_anthropic_model_thinking_part_stream.yaml');
    const cut = cutStreamFault(stream!, 0.5);
    server = await startReplayServer({ exchanges: [cut] });
    const received = await rawPost(server.url, '/v1/messages', {});
    expect(received.aborted).toBe(true);
    expect(received.body.length).toBeLessThanOrEqual(cut.cutAfterBytes!);
    expect(received.body.toString('utf8')).not.toContain('message_stop');
  });

  it('holds the first byte until released, without timers', async () => {
    const [reply] = cassette('anthropic_test_output_test_no_tools_no_output.yaml');
    const slow = slowFirstByteFault(reply!);
    server = await startReplayServer({ exchanges: [slow.exchange] });
    let answered = false;
    const pending = rawPost(server.url, '/v1/messages', {}).then((received) => {
      answered = true;
      return received;
    });
    await server.waitForRequests(1);
    expect(answered).toBe(false);
    slow.release();
    expect((await pending).status).toBe(200);
  });
});
