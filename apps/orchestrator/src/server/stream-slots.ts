import { ApiRequestError } from './api-errors.ts';

/** Concurrent event streams a server keeps open by default (each holds a connection and polls the store). */
export const defaultMaxStreams = 32;

/**
 * Counts the open event streams and refuses one more beyond the cap (429), so a client cannot exhaust the server's
 * connections and store reads by opening streams without end.
 */
export class StreamSlots {
  readonly max: number;
  #open = 0;

  constructor(max: number = defaultMaxStreams) {
    this.max = max;
  }

  /** Streams open now. */
  get open(): number {
    return this.#open;
  }

  /** Takes a slot, or throws the 429 API error; call the returned function exactly once when the stream ends. */
  acquire(): () => void {
    if (this.#open >= this.max) {
      throw new ApiRequestError(429, {
        code: 'api-too-many-streams',
        message: `${this.max} event streams are open already; this server keeps no more at once.`,
        hint: 'Close a stream you no longer read (another console tab, a curl), then connect again.',
      });
    }
    this.#open += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open -= 1;
    };
  }
}
