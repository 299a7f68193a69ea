import { describe, expect, it } from 'vitest';
import { startLiveTail, type TailState } from '../src/api/live-tail.ts';
import type { ConsoleEvent } from '../src/state/project-run.ts';

function sse(events: Array<Pick<ConsoleEvent, 'seq' | 'type'>>): string {
  return events
    .map(
      (event) =>
        `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify({ runId: 'r', at: '', data: {}, ...event })}\n\n`,
    )
    .join('');
}

/** A fake server: each connection gets the next scripted body; it records the Last-Event-ID it was sent. */
function fakeServer(bodies: string[]) {
  const lastEventIds: string[] = [];
  const fetchImpl = (async (_url: string, init: RequestInit) => {
    lastEventIds.push(String((init.headers as Record<string, string>)['last-event-id']));
    const body = bodies.shift();
    if (body === undefined) return new Promise<Response>(() => {});
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }) as unknown as typeof fetch;
  return { fetchImpl, lastEventIds };
}

describe('startLiveTail', () => {
  it('reconnects from the last delivered seq and delivers each event once, in order', async () => {
    // First connection drops after seq 3; the second replays 3 (a duplicate the server may send) then 4 and 5.
    const server = fakeServer([
      sse([
        { seq: 2, type: 'message' },
        { seq: 3, type: 'message' },
      ]),
      sse([
        { seq: 3, type: 'message' },
        { seq: 4, type: 'step-end' },
        { seq: 5, type: 'run-end' },
      ]),
    ]);
    const delivered: number[] = [];
    const states: TailState[] = [];
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const stop = startLiveTail({
      url: 'http://127.0.0.1/stream',
      token: 't',
      afterSeq: 1,
      retryMs: 0,
      fetchImpl: server.fetchImpl,
      onEvent: (event) => {
        delivered.push(event.seq);
        if (event.seq === 5) resolveDone();
      },
      onState: (state) => states.push(state),
    });
    await done;
    stop();
    expect(delivered).toEqual([2, 3, 4, 5]);
    expect(server.lastEventIds.slice(0, 2)).toEqual(['1', '3']);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('closed');
  });
});

describe('startLiveTail at the end of a run', () => {
  it('stops at stream-end instead of reconnecting, after delivering every event', async () => {
    const server = fakeServer([
      `${sse([{ seq: 7, type: 'run-end' }])}event: stream-end\ndata: {"lastSeq":7}\n\n`,
      sse([{ seq: 8, type: 'message' }]),
    ]);
    const delivered: number[] = [];
    let resolveEnded: () => void = () => {};
    const ended = new Promise<void>((resolve) => {
      resolveEnded = resolve;
    });
    const states: TailState[] = [];
    startLiveTail({
      url: 'http://127.0.0.1/stream',
      token: 't',
      afterSeq: 6,
      retryMs: 0,
      fetchImpl: server.fetchImpl,
      onEvent: (event) => delivered.push(event.seq),
      onState: (state) => {
        states.push(state);
        if (state === 'ended') resolveEnded();
      },
    });
    await ended;
    expect(delivered).toEqual([7]);
    expect(server.lastEventIds).toEqual(['6']);
    expect(states.at(-1)).toBe('ended');
  });
});
