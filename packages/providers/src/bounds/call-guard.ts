/** The timers a guard uses; tests pass a controllable implementation, production the global ones. */
export interface GuardTimers {
  set(callback: () => void, milliseconds: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: GuardTimers = {
  set: (callback, milliseconds) => setTimeout(callback, milliseconds),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Which bound ended the call. */
export type GuardTrip = { bound: 'idle'; seconds: number } | { bound: 'deadline'; seconds: number };

/** The error a tripped guard puts on the wire (its message avoids the words the SDKs rewrite into their own). */
export class GuardTripError extends Error {
  readonly trip: GuardTrip;
  constructor(trip: GuardTrip) {
    super(`orchestrator call guard: ${trip.bound} limit of ${trip.seconds} s reached`);
    this.name = 'GuardTripError';
    this.trip = trip;
  }
}

export interface CallGuardOptions {
  /** Total deadline of the call, retries included, in seconds. */
  totalSeconds: number;
  /** Longest silence allowed on the wire (before the first byte and between bytes), in seconds. */
  idleSeconds: number;
  /** The fetch to wrap (the global one by default). */
  fetch?: typeof fetch;
  timers?: GuardTimers;
}

/**
 * Bounds one model call on the wire. Its `fetch` is handed to the vendor SDK: a request is aborted when no byte
 * arrived for `idleSeconds` while it waited on the wire (for headers, or between body chunks), and every request is
 * aborted once the call's total deadline passes (retries included). `tripped` says which bound ended the last attempt,
 * so the adapter classifies the SDK's error as a timeout whatever the SDK wrapped it in. `dispose()` clears the
 * deadline timer; call it when the call ends.
 */
export class CallGuard {
  readonly fetch: typeof fetch;
  private readonly controller = new AbortController();
  private readonly timers: GuardTimers;
  private readonly deadlineHandle: unknown;
  private deadlineTrip: GuardTrip | undefined;
  private idleTrip: GuardTrip | undefined;
  private readonly options: CallGuardOptions;

  constructor(options: CallGuardOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.deadlineHandle = this.timers.set(() => {
      this.deadlineTrip = { bound: 'deadline', seconds: options.totalSeconds };
      this.controller.abort(new GuardTripError(this.deadlineTrip));
    }, options.totalSeconds * 1000);
    const base = options.fetch ?? globalThis.fetch;
    this.fetch = (input, init) => this.guardedFetch(base, input, init);
  }

  /** The bound that ended the current attempt (or the whole call), if one did. */
  get tripped(): GuardTrip | undefined {
    return this.deadlineTrip ?? this.idleTrip;
  }

  /** True once the total deadline passed: nothing more may be tried. */
  get expired(): boolean {
    return this.deadlineTrip !== undefined;
  }

  /** Aborted when the total deadline passes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Starts a new attempt: forgets the idle trip of the previous one. */
  beginAttempt(): void {
    this.idleTrip = undefined;
  }

  dispose(): void {
    this.timers.clear(this.deadlineHandle);
  }

  private async guardedFetch(
    base: typeof fetch,
    input: Parameters<typeof fetch>[0],
    init: Parameters<typeof fetch>[1],
  ): Promise<Response> {
    if (this.deadlineTrip !== undefined) throw new GuardTripError(this.deadlineTrip);
    const request = new AbortController();
    const idleSeconds = this.options.idleSeconds;
    let idleHandle: unknown;
    let onTrip: (error: GuardTripError) => void = () => undefined;
    const fail = (error: GuardTripError) => {
      request.abort(error);
      onTrip(error);
    };
    const disarm = () => this.timers.clear(idleHandle);
    const arm = () => {
      disarm();
      idleHandle = this.timers.set(() => {
        this.idleTrip = { bound: 'idle', seconds: idleSeconds };
        fail(new GuardTripError(this.idleTrip));
      }, idleSeconds * 1000);
    };
    const onGuardAbort = () => fail(this.controller.signal.reason as GuardTripError);
    this.controller.signal.addEventListener('abort', onGuardAbort, { once: true });
    const upstream = init?.signal;
    const onUpstreamAbort = () => request.abort(upstream?.reason);
    if (upstream?.aborted) request.abort(upstream.reason);
    else upstream?.addEventListener('abort', onUpstreamAbort, { once: true });
    const cleanup = () => {
      disarm();
      this.controller.signal.removeEventListener('abort', onGuardAbort);
      upstream?.removeEventListener('abort', onUpstreamAbort);
    };
    arm();
    let response: Response;
    try {
      response = await base(input, { ...init, signal: request.signal });
    } catch (error) {
      cleanup();
      const trip = request.signal.reason instanceof GuardTripError ? request.signal.reason : undefined;
      throw trip ?? error;
    }
    disarm();
    if (response.body === null) {
      cleanup();
      return response;
    }
    const reader = response.body.getReader();
    let streamController: ReadableStreamDefaultController<Uint8Array> | undefined;
    let tripped = false;
    onTrip = (error) => {
      tripped = true;
      cleanup();
      try {
        streamController?.error(error);
      } catch {
        // The body had already ended.
      }
      void reader.cancel(error).catch(() => undefined);
    };
    // The idle clock runs only while the consumer waits for the wire, never while it is busy with a chunk.
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        streamController = controller;
      },
      pull: async (controller) => {
        try {
          arm();
          const chunk = await reader.read();
          disarm();
          if (tripped) return;
          if (chunk.done) {
            cleanup();
            controller.close();
            return;
          }
          controller.enqueue(chunk.value);
        } catch (error) {
          cleanup();
          if (!tripped) controller.error(error);
        }
      },
      cancel: (reason) => {
        cleanup();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}
