import pg from 'pg';

/**
 * Wakes subscribers when any process appends to a run of this PostgreSQL store: appends `pg_notify` the run id on the
 * schema's channel at commit, and one dedicated connection LISTENs. A missed notification (while connecting, after a
 * dropped connection) only delays a reader until its next poll, it never loses events.
 */
export class PostgresAppendListener {
  readonly #connectionString: string;
  readonly #channel: string;
  readonly #listeners = new Map<string, Set<() => void>>();
  #client: pg.Client | undefined;
  #connecting: Promise<void> | undefined;
  #closed = false;

  constructor(connectionString: string, channel: string) {
    this.#connectionString = connectionString;
    this.#channel = channel;
  }

  /** Calls `listener` after each committed append to `runId`; returns the unsubscribe function. */
  subscribe(runId: string, listener: () => void): () => void {
    let listeners = this.#listeners.get(runId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(runId, listeners);
    }
    listeners.add(listener);
    void this.#connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(runId);
    };
  }

  /** Resolves once the LISTEN connection is up (tests use it to avoid racing the first notification). */
  ready(): Promise<void> {
    return this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  #connect(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.#connectionString });
      client.on('notification', (message) => {
        if (message.channel !== this.#channel || message.payload === undefined) return;
        for (const listener of [...(this.#listeners.get(message.payload) ?? [])]) listener();
      });
      client.on('error', () => {
        // Reconnect on the next subscription; readers keep polling meanwhile.
        this.#client = undefined;
        this.#connecting = undefined;
      });
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
      if (this.#closed) await client.end();
      else this.#client = client;
    })().catch(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }
}
