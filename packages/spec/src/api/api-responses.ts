import type { RunStatus } from '../telemetry/run-timeline.ts';

/** A run as `GET /api/runs` lists it. */
export interface RunListItem {
  runId: string;
  /** State from the journal. */
  status: RunStatus;
  /** Task from `run-start` (empty until it is written). */
  task: string;
  /** Repository from `run-start`. */
  repo: string;
  /** Settled spend so far, USD. */
  spendUsd: number;
  /** Budget cap, when set. */
  maxUsd: number | null;
  /** Highest seq. */
  lastSeq: number;
  createdAt: string;
  updatedAt: string;
  labels: Record<string, string>;
}

/** A row of `GET /api/spend`: one feature, flattened for charts. */
export interface SpendRow {
  /** Feature (label value), or the run id of an unlabelled run. */
  key: string;
  /** Number of runs. */
  runs: number;
  runIds: string[];
  inputTokens: number;
  outputTokens: number;
  /** Tokens read from the provider prompt cache. */
  cachedTokens: number;
  calls: number;
  costUsd: number;
  costByModel: Record<string, number>;
}
