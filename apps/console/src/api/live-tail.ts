import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ConsoleEvent } from '../state/project-run.ts';

/** `ended`: the run ended and every event was delivered (the server sent `stream-end`); the tail stops. */
export type TailState = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'closed';

export interface LiveTailOptions {
  /** URL of the run's SSE stream. */
  url: string;
  /** Bearer token. Sent as a header: fetch, unlike EventSource, can. */
  token: string;
  /** Highest seq already shown; the stream resumes after it (`Last-Event-ID`). */
  afterSeq: number;
  onEvent(event: ConsoleEvent): void;
  onState(state: TailState): void;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
  /** Delay before reconnecting, in ms (grows to 5 s). */
  retryMs?: number;
}

/**
 * Tails a run's events over server-sent events and reconnects from the last seq it delivered, so the view never
 * has gaps or duplicates: every event is delivered once, in order, whatever the connection does.
 */
export function startLiveTail(options: LiveTailOptions): () => void {
  const fetchImpl = options.fetchImpl ?? fetch.bind(globalThis);
  let lastSeq = options.afterSeq;
  let stopped = false;
  let controller: AbortController | undefined;
  let retry = options.retryMs ?? 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;

  const deliver = (message: EventSourceMessage) => {
    if (message.event === 'stream-end') {
      ended = true;
      return;
    }
    if (!message.data) return;
    let event: ConsoleEvent;
    try {
      event = JSON.parse(message.data) as ConsoleEvent;
    } catch {
      return;
    }
    if (typeof event.seq !== 'number' || event.seq <= lastSeq) return;
    lastSeq = event.seq;
    options.onEvent(event);
  };

  const connect = async () => {
    if (stopped) return;
    controller = new AbortController();
    options.onState(lastSeq === options.afterSeq ? 'connecting' : 'reconnecting');
    try {
      const response = await fetchImpl(options.url, {
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'text/event-stream',
          'last-event-id': String(lastSeq),
        },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      options.onState('live');
      retry = options.retryMs ?? 500;
      const parser = createParser({ onEvent: deliver });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
        if (ended) break;
      }
    } catch {
      // Connection lost or refused: fall through to reconnect.
    }
    if (stopped) return;
    if (ended) {
      stopped = true;
      controller?.abort();
      options.onState('ended');
      return;
    }
    options.onState('reconnecting');
    timer = setTimeout(connect, retry);
    retry = Math.min(retry * 2, 5000);
  };

  void connect();
  return () => {
    if (timer) clearTimeout(timer);
    if (stopped) return;
    stopped = true;
    controller?.abort();
    options.onState('closed');
  };
}
