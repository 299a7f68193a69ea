import type { ModelCallError } from '@orchestrator/spec';
import { CallGuard, type GuardTimers, realTimers } from './call-guard.ts';

/** The bounds of every model call (from `providers.<name>` in the config). */
export interface CallBounds {
  /** Total deadline of one call, retries and waits included, in seconds. */
  totalSeconds: number;
  /** Longest silence on the wire (first byte, between bytes), in seconds. */
  idleSeconds: number;
  /** Retries after the first attempt (transient failures only). */
  maxRetries: number;
  /** Longest wait honoured between attempts (`retry-after` included); a longer `retry-after` ends the call. */
  maxRetryAfterSeconds: number;
}

export const defaultCallBounds: CallBounds = {
  totalSeconds: 600,
  // A non-streamed reply sends nothing until it is complete: long enough for a reasoning model's answer, far short
  // of the hour a drip-feeding provider held a run for.
  idleSeconds: 300,
  maxRetries: 2,
  maxRetryAfterSeconds: 30,
};

/** The bounds of a call from adapter options. */
export function callBoundsOf(options: {
  maxRetries: number;
  timeoutSeconds: number;
  idleTimeoutSeconds?: number | undefined;
  maxRetryAfterSeconds?: number | undefined;
}): CallBounds {
  return {
    totalSeconds: options.timeoutSeconds,
    idleSeconds: options.idleTimeoutSeconds ?? defaultCallBounds.idleSeconds,
    maxRetries: options.maxRetries,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? defaultCallBounds.maxRetryAfterSeconds,
  };
}

/** Clocks and timers of a bounded call; tests replace them to stay deterministic. */
export interface CallRuntime {
  timers?: GuardTimers;
  /** Waits between attempts; resolves early (and the call ends) when `signal` aborts. */
  sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** In [0, 1): jitter of the exponential backoff. */
  random?: () => number;
}

/** Kinds worth another attempt: nothing was wrong with the request itself. */
const retriedKinds: ReadonlySet<string> = new Set(['retryable', 'overloaded', 'rate-limited', 'timeout']);

function realSleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(handle);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const handle = setTimeout(done, milliseconds);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The provider's explicit "do not retry" (`x-should-retry: false`, as the SDKs honour it). */
function forbidsRetry(error: unknown): boolean {
  const headers = (error as { headers?: { get?(name: string): string | null } } | null)?.headers;
  return typeof headers?.get === 'function' && headers.get('x-should-retry') === 'false';
}

export interface CallScopeOptions {
  bounds: CallBounds;
  runtime?: CallRuntime | undefined;
  /** The fetch the guard wraps (tests); the global one by default. */
  fetch?: typeof fetch | undefined;
  /** The caller's abort signal (aborts the wait between attempts too). */
  abortSignal?: AbortSignal | undefined;
}

export interface BoundedCallOptions<T> extends CallScopeOptions {
  /** Turns whatever an attempt threw into a classified error; `guard.tripped` tells a timeout. */
  classify: (error: unknown, guard: CallGuard) => ModelCallError;
  /** One attempt; its requests must go through `guard.fetch`. */
  attempt: (guard: CallGuard, attemptNumber: number) => Promise<T>;
}

/**
 * One model call within its bounds: one `CallGuard` (idle limit per request, total deadline over all attempts) and a
 * capped retry policy owned here rather than by the SDK (whose `maxRetries` stays 0), so no SDK ever sleeps through a
 * `retry-after: 3600`. Transient failures are retried at most `maxRetries` times, waiting `retry-after` when the
 * provider says (at most `maxRetryAfterSeconds`) or an exponential backoff with jitter; a longer `retry-after`, or a
 * wait that would pass the deadline, ends the call at once with the classified error ("rate-limited until <time>").
 * A stream keeps the scope open while it is read, then calls `dispose()`.
 */
export class CallScope {
  readonly guard: CallGuard;
  private readonly options: CallScopeOptions;
  private readonly started: number;

  constructor(options: CallScopeOptions) {
    this.options = options;
    this.guard = new CallGuard({
      totalSeconds: options.bounds.totalSeconds,
      idleSeconds: options.bounds.idleSeconds,
      timers: options.runtime?.timers ?? realTimers,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    });
    this.started = (options.runtime?.now ?? Date.now)();
  }

  async run<T>(
    attempt: (guard: CallGuard, attemptNumber: number) => Promise<T>,
    classify: (error: unknown, guard: CallGuard) => ModelCallError,
  ): Promise<T> {
    const { bounds, abortSignal } = this.options;
    const runtime = this.options.runtime ?? {};
    const now = runtime.now ?? Date.now;
    const sleep = runtime.sleep ?? realSleep;
    const random = runtime.random ?? Math.random;
    const guard = this.guard;
    const stopped = () => guard.expired || abortSignal?.aborted === true;
    const waitSignal = abortSignal === undefined ? guard.signal : AbortSignal.any([guard.signal, abortSignal]);
    for (let attemptNumber = 0; ; attemptNumber += 1) {
      guard.beginAttempt();
      try {
        return await attempt(guard, attemptNumber);
      } catch (error) {
        const classified = classify(error, guard);
        if (stopped()) throw classified;
        if (attemptNumber >= bounds.maxRetries || !retriedKinds.has(classified.kind) || forbidsRetry(error)) {
          throw classified;
        }
        const stated = classified.retryAfterSeconds;
        if (stated !== undefined && stated > bounds.maxRetryAfterSeconds) throw classified;
        const backoff = Math.min(bounds.maxRetryAfterSeconds, 0.5 * 2 ** attemptNumber) * (0.75 + 0.25 * random());
        const waitSeconds = stated ?? backoff;
        const elapsedSeconds = (now() - this.started) / 1000;
        if (elapsedSeconds + waitSeconds >= bounds.totalSeconds) throw classified;
        await sleep(waitSeconds * 1000, waitSignal);
        if (stopped()) throw classified;
      }
    }
  }

  dispose(): void {
    this.guard.dispose();
  }
}

/** A call within its bounds (see `CallScope`), the scope disposed when it settles. */
export async function boundedCall<T>(options: BoundedCallOptions<T>): Promise<T> {
  const scope = new CallScope(options);
  try {
    return await scope.run(options.attempt, options.classify);
  } finally {
    scope.dispose();
  }
}
