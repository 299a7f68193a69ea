import type { JournalEvent, NewJournalEvent } from './journal-event.ts';

/** Summary row of a run kept by the store for listing without replaying every journal. */
export interface RunRecord {
  /** Run id. */
  runId: string;
  /** Highest `seq` appended so far (0 when empty). */
  lastSeq: number;
  /** Time of the first event. */
  createdAt: string;
  /** Time of the latest event. */
  updatedAt: string;
  /** Free-form labels set at creation (task, repo, feature label…), for filtering. */
  labels: Record<string, string>;
}

export interface AppendOptions {
  /**
   * Optimistic concurrency: the append fails with `journal-conflict` unless the run's last seq equals this.
   * Two writers of the same run therefore can never interleave.
   */
  expectedLastSeq?: number;
}

export interface ReadOptions {
  /** Return only events with `seq` greater than this (for tailing and `Last-Event-ID`). */
  afterSeq?: number;
  /** At most this many events. */
  limit?: number;
}

/**
 * The journal store port, version 1: an append-only, per-run event log plus a content-addressed blob table
 * (prompts and responses are stored once by their sha256). Implemented by SQLite (embedded default) and PostgreSQL.
 * Appends are atomic per batch: all events of a batch are written, or none.
 */
export interface JournalStore {
  /** Version of this contract the adapter implements. */
  readonly specificationVersion: 'v1';
  /** Creates the run row if missing (idempotent) with its labels. */
  createRun(runId: string, labels: Record<string, string>): Promise<void>;
  /** Appends a batch atomically, assigning consecutive seq numbers. Returns the stored events. */
  append(runId: string, events: readonly NewJournalEvent[], options?: AppendOptions): Promise<JournalEvent[]>;
  /** Reads a run's events in seq order. */
  read(runId: string, options?: ReadOptions): Promise<JournalEvent[]>;
  /** Lists runs, newest first. */
  listRuns(options?: { limit?: number; label?: { key: string; value: string } }): Promise<RunRecord[]>;
  /** Returns one run's record, or undefined. */
  getRun(runId: string): Promise<RunRecord | undefined>;
  /** Stores content under its sha256 hex digest (idempotent) and returns the digest. */
  putBlob(content: string): Promise<string>;
  /** Returns stored content, or undefined. */
  getBlob(sha256: string): Promise<string | undefined>;
  /** Releases connections and file handles. */
  close(): Promise<void>;
}
