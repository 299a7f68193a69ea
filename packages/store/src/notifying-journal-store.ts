import type {
  AppendOptions,
  JournalEvent,
  JournalStore,
  NewJournalEvent,
  ReadOptions,
  RunRecord,
} from '@orchestrator/spec';

/** Tells in-process readers (the SSE stream) that a run's journal grew, so they need not wait for a poll. */
export interface JournalAppendNotifier {
  /** Calls `listener` after each append to `runId`; returns the unsubscribe function. */
  subscribe(runId: string, listener: () => void): () => void;
}

function isNotifier(store: JournalStore): store is JournalStore & JournalAppendNotifier {
  return typeof (store as Partial<JournalAppendNotifier>).subscribe === 'function';
}

/**
 * Wraps a store so appends made through it wake subscribers at once. The composition root hands the same wrapped
 * store to the kernel and the server when both run in one process. When the inner store notifies about other
 * processes' appends too (PostgreSQL LISTEN/NOTIFY), subscribers get those as well; otherwise readers poll for them.
 */
export class NotifyingJournalStore implements JournalStore, JournalAppendNotifier {
  readonly specificationVersion = 'v1' as const;
  readonly #inner: JournalStore;
  readonly #listeners = new Map<string, Set<() => void>>();

  constructor(inner: JournalStore) {
    this.#inner = inner;
  }

  subscribe(runId: string, listener: () => void): () => void {
    let listeners = this.#listeners.get(runId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(runId, listeners);
    }
    listeners.add(listener);
    const unsubscribeInner = isNotifier(this.#inner) ? this.#inner.subscribe(runId, listener) : () => {};
    return () => {
      unsubscribeInner();
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(runId);
    };
  }

  async append(runId: string, events: readonly NewJournalEvent[], options?: AppendOptions): Promise<JournalEvent[]> {
    const stored = await this.#inner.append(runId, events, options);
    if (stored.length > 0) for (const listener of [...(this.#listeners.get(runId) ?? [])]) listener();
    return stored;
  }

  createRun(runId: string, labels: Record<string, string>): Promise<void> {
    return this.#inner.createRun(runId, labels);
  }

  read(runId: string, options?: ReadOptions): Promise<JournalEvent[]> {
    return this.#inner.read(runId, options);
  }

  listRuns(options?: { limit?: number; label?: { key: string; value: string } }): Promise<RunRecord[]> {
    return this.#inner.listRuns(options);
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    return this.#inner.getRun(runId);
  }

  putBlob(content: string): Promise<string> {
    return this.#inner.putBlob(content);
  }

  getBlob(sha256: string): Promise<string | undefined> {
    return this.#inner.getBlob(sha256);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
