/** One error code seen in the journals, with what to do about it. */
export interface ErrorCatalogEntry {
  /** Stable error code, e.g. `model-call-rate-limited`. */
  code: string;
  /** Who must act (`user`, `model`, `system`), when known. */
  actor?: string;
  /** Occurrences across all runs. */
  count: number;
  /** Runs it occurred in. */
  runCount: number;
  /** First occurrence, ISO-8601. */
  firstSeen: string;
  /** Latest occurrence, ISO-8601. */
  lastSeen: string;
  /** A run where it happened (the latest), and the event's seq there. */
  exampleRunId: string;
  exampleSeq: number;
  /** The latest message recorded for it. */
  exampleMessage: string;
  /** What to do: the hint recorded with the error, else the catalog's text for the code. */
  remediation: string;
}

/** Every error code seen, most frequent first. */
export interface ErrorCatalog {
  entries: ErrorCatalogEntry[];
}
