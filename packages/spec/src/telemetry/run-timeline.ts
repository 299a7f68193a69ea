import type { TokenTotals } from './token-totals.ts';

/** Lifecycle state of a run as its journal tells it. */
export type RunStatus = 'running' | 'paused' | 'converged' | 'failed' | 'cancelled' | 'empty';

/** One line of a run's timeline: one journal event, summarised for people. */
export interface TimelineEntry {
  /** Journal seq. */
  seq: number;
  /** Event time, ISO-8601. */
  at: string;
  /** Milliseconds since the run's first event. */
  offsetMs: number;
  /** Event type. */
  type: string;
  /** Step id, when the event belongs to a step. */
  stepId?: string;
  /** Role involved, when any. */
  role?: string;
  /** One-line summary, e.g. `architect → claude-sonnet-4-5: 1,204 in / 380 out, $0.0093`. */
  summary: string;
  /** For closing events (`step-end`, `model-call-end`, `test-run`): how long the thing took. */
  durationMs?: number;
  /** For `model-call-end`: the call's settled cost. */
  costUsd?: number;
}

/** One of the most expensive model calls of a run and the prompt that caused it. */
export interface CostlyPrompt {
  /** The call's id. */
  callId: string;
  /** Role that made the call. */
  role: string;
  /** Model that served it. */
  model: string;
  /** Settled cost in USD. */
  costUsd: number;
  /** Input + cache tokens of the call. */
  inputTokens: number;
  /** Output tokens of the call. */
  outputTokens: number;
  /** Blob sha256 of the request (the prompt); fetch it with `getBlob`. */
  requestSha256?: string;
  /** First characters of the prompt, when the reader resolved the blob. */
  promptPreview?: string;
  /** Journal seq of the `model-call-end` event. */
  seq: number;
}

/** A run's dashboard data: the full timeline, token totals, and its costliest prompts. */
export interface RunTimeline {
  /** Run id. */
  runId: string;
  /** Task, from `run-start`. */
  task?: string;
  /** Current state. */
  status: RunStatus;
  /** Why the run is paused, when it is. */
  pauseReason?: string;
  /** First event time. */
  startedAt?: string;
  /** `run-end` time, once ended. */
  endedAt?: string;
  /** Milliseconds from the first to the last event. */
  durationMs: number;
  /** Every event, in seq order. */
  entries: TimelineEntry[];
  /** Totals over all model calls. */
  totals: TokenTotals;
  /** Totals per role. */
  totalsByRole: Record<string, TokenTotals>;
  /** The three costliest model calls, most expensive first. */
  costliestPrompts: CostlyPrompt[];
}
