import type { TestFramework } from './test-framework.ts';

/** Output of one stream, bounded: beyond the limit the middle is dropped and `truncated` says so. */
export interface CapturedOutput {
  /** The text kept (UTF-8, the head and the tail when truncated, joined by a `[… N bytes dropped …]` marker). */
  text: string;
  /** Bytes the process wrote on this stream in total. */
  bytes: number;
  /** True when bytes were dropped to respect the output limit. */
  truncated: boolean;
}

/** Counts parsed from a runner's output; absent counts were not reported by the runner. */
export interface TestSummary {
  /** The framework whose output format matched. */
  framework: TestFramework;
  /** Tests that passed. */
  passed: number;
  /** Tests that failed (assertion failures and errors). */
  failed: number;
  /** Tests skipped, todo or ignored. */
  skipped: number;
  /** passed + failed + skipped. */
  total: number;
}

/** Why the sandbox ended the process, if it did: the wall-time limit, the memory limit, or an abort (run paused). */
export type KillReason = 'timeout' | 'memory' | 'abort';

/** How each limit was enforced on this host (`none` means the limit could not be enforced). */
export interface LimitEnforcement {
  /** Wall time: always enforced by killing the whole process tree. */
  wallTimeMs: number;
  /** Memory cap in bytes and the mechanism: a cgroup (whole tree) or RLIMIT_DATA (per process). */
  memory: { bytes: number; mechanism: 'cgroup' | 'rlimit' | 'none' };
  /** Process cap and the mechanism: a cgroup pids controller or RLIMIT_NPROC (not enforced for uid 0). */
  processes: { max: number; mechanism: 'cgroup' | 'rlimit' | 'none' };
  /** Bytes kept per output stream. */
  outputBytes: number;
}

/**
 * The record of one command run by a sandbox (version 1). Journalled as the `test-run` event's data and copied into
 * the pull request's provenance.
 */
export interface TestRunResult {
  /** Version of this record. */
  specificationVersion: 'v1';
  /** The shell command that ran. */
  command: string;
  /** Working directory (the run's worktree), absolute. */
  cwd: string;
  /** The sandbox that ran it; `none` is the explicit opt-out and must be recorded in the provenance. */
  sandbox: 'bubblewrap' | 'none';
  /** Exit code, or null when the process was ended by a signal. */
  exitCode: number | null;
  /** The signal that ended the process (e.g. `SIGKILL`), or null. */
  signal: string | null;
  /** True when the wall-time limit fired. */
  timedOut: boolean;
  /** Why the sandbox ended the process, or null when it ended on its own. */
  killed: KillReason | null;
  /** True when the process limit refused at least one fork (a fork bomb, or a test spawning too many workers). */
  processLimitHit: boolean;
  /** Wall time of the run, in milliseconds (informational; never asserted on). */
  durationMs: number;
  /** Standard output, bounded. */
  stdout: CapturedOutput;
  /** Standard error, bounded. */
  stderr: CapturedOutput;
  /** Counts parsed from the output, or null when no known format matched. */
  summary: TestSummary | null;
  /** The limits applied and how. */
  limits: LimitEnforcement;
  /** Human-readable notes: limits that could not be enforced, the opt-out warning, truncation. */
  warnings: string[];
}
