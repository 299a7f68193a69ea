/** Version of the persisted event envelope. Bump on any incompatible change; readers upgrade older versions. */
export const journalSchemaVersion = 1;

/** An event to append: the store assigns `seq` and `at`. */
export interface NewJournalEvent<Type extends string = string, Data = unknown> {
  /** Event type, noun-verb: `run-start`, `model-call-end`, `step-end`. */
  type: Type;
  /** Event payload, JSON-serialisable, free of secrets. */
  data: Data;
  /** Step the event belongs to, when any. */
  stepId?: string;
  /** Set by callers that must fix the timestamp (imports, tests); otherwise the store uses the current time. */
  at?: string;
}

/** A persisted event of a run's journal. */
export interface JournalEvent<Type extends string = string, Data = unknown> {
  /** The run this event belongs to. */
  runId: string;
  /** Per-run sequence number: 1, 2, 3… with no gaps or duplicates. */
  seq: number;
  /** Event type. */
  type: Type;
  /** Step the event belongs to, when any. */
  stepId?: string;
  /** ISO-8601 UTC timestamp of the append. */
  at: string;
  /** Envelope schema version the event was written with. */
  schemaVersion: number;
  /** Event payload. */
  data: Data;
}
