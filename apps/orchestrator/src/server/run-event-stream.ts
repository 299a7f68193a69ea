import type { JournalStore } from '@orchestrator/spec';
import type { JournalAppendNotifier } from '@orchestrator/store';
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';

export interface RunEventStreamOptions {
  store: JournalStore;
  /** In-process append notifications; without them (or for other processes' appends) the stream polls. */
  notifier?: JournalAppendNotifier;
  runId: string;
  /** Seq already delivered to the client (from `Last-Event-ID` or `?after=`). */
  afterSeq: number;
  /** How often to look for appends made by other processes. */
  pollIntervalMs: number;
  /** How often to send a comment line so proxies keep the connection open. */
  heartbeatMs: number;
  /** Called once when the stream ends (the client left, the server closed it, or it failed): frees its slot. */
  onEnd?: () => void;
}

const batchSize = 500;

/** Waits until the run's journal may have grown, the poll interval passed, or the client left (`wake`). */
function waitForAppend(options: RunEventStreamOptions, setWake: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe = () => {};
    const timer = setTimeout(done, options.pollIntervalMs);
    function done() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
    unsubscribe = options.notifier?.subscribe(options.runId, done) ?? unsubscribe;
    setWake(done);
  });
}

/**
 * Streams a run's events as server-sent events (wire format `apiStreamVersion` v1): every event after `afterSeq`
 * exactly once, in seq order, each with `id: <seq>` so a reconnect with `Last-Event-ID` resumes without a gap or a
 * duplicate; then live events as they are appended; after `run-end`, one `stream-end` event.
 */
export function streamRunEvents(context: Context, options: RunEventStreamOptions): Response {
  return streamSSE(context, async (stream) => {
    try {
      await sendRunEvents(stream, options);
    } finally {
      options.onEnd?.();
    }
  });
}

async function sendRunEvents(stream: SSEStreamingApi, options: RunEventStreamOptions): Promise<void> {
  // Flush the headers at once: a client must know the stream is live even when no event comes for a while.
  await stream.write(': connected\n\n');
  let cursor = options.afterSeq;
  let lastHeartbeat = Date.now();
  let ended = false;
  if (cursor > 0) {
    const [previous] = await options.store.read(options.runId, { afterSeq: cursor - 1, limit: 1 });
    ended = previous?.type === 'run-end';
  }
  let endAnnounced = false;
  let wake = () => {};
  stream.onAbort(() => wake());
  while (!stream.aborted && !stream.closed) {
    const events = await options.store.read(options.runId, { afterSeq: cursor, limit: batchSize });
    for (const event of events) {
      await stream.writeSSE({ id: String(event.seq), data: JSON.stringify(event) });
      cursor = event.seq;
      if (event.type === 'run-end') ended = true;
    }
    if (events.length === batchSize) continue;
    if (ended && !endAnnounced) {
      await stream.writeSSE({ event: 'stream-end', data: JSON.stringify({ lastSeq: cursor }) });
      endAnnounced = true;
    }
    if (Date.now() - lastHeartbeat >= options.heartbeatMs) {
      await stream.write(': heartbeat\n\n');
      lastHeartbeat = Date.now();
    }
    await waitForAppend(options, (next) => {
      wake = next;
    });
  }
}
