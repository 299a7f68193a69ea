import type { JournalEvent, JournalStore, StartRunBody } from '@orchestrator/spec';
import type { JournalAppendNotifier } from '@orchestrator/store';
import type { SecretRedactor } from '../compose/redacting-journal-store.ts';
import type { OtlpExportConfig } from './otlp-span-export.ts';

/** What the composition root hands the HTTP API. Nothing has a module-global default. */
export interface ApiAppOptions {
  /** The journal store to serve (SQLite or PostgreSQL). */
  store: JournalStore;
  /** The bearer token every request must carry. */
  token: string;
  /** In-process append notifications for low-latency streaming (a `NotifyingJournalStore`). */
  notifier?: JournalAppendNotifier;
  /** Starts a run for `POST /api/runs`; without it that endpoint answers 501. */
  launchRun?: (input: StartRunBody) => Promise<{ runId: string }>;
  /**
   * Called after a control request was recorded (e.g. to continue a paused run in a worker after `run-resume`); the
   * response waits for it, and its failure is reported as the request's error.
   */
  onControl?: (runId: string, events: readonly JournalEvent[]) => Promise<void>;
  /** Browser origins allowed to call the API (the console's dev server); none by default. */
  corsOrigins?: readonly string[];
  /** How often a stream looks for appends by other processes; 100 ms by default. */
  pollIntervalMs?: number;
  /** OpenTelemetry collector to export run spans to (`POST /api/runs/:runId/spans/export`); off when absent. */
  otlp?: OtlpExportConfig;
  /** Heartbeat comment interval of streams; 15 s by default. */
  heartbeatMs?: number;
  /**
   * Host names the API answers to besides the loopback ones (127.0.0.0/8, `::1`, `localhost`); any other Host header
   * gets 421, so a web page that rebinds its domain to this machine cannot call the API. None by default.
   */
  allowedHosts?: readonly string[];
  /** Largest request body accepted, in bytes (413 beyond); 1 MiB by default. */
  maxBodyBytes?: number;
  /** Event streams open at once (429 beyond); 32 by default. */
  maxStreams?: number;
  /** Scans error responses (which may echo a path or a field) and replaces secrets by fingerprints; none by default. */
  redactor?: SecretRedactor;
}
