import type { TestFramework } from './test-framework.ts';
import type { TestRunResult } from './test-run-result.ts';

/** Options of one sandboxed command. */
export interface SandboxRunOptions {
  /** The run's worktree: the only writable directory besides a private tmp. Absolute path. */
  cwd: string;
  /** Wall-time limit in milliseconds; the whole process tree is killed when it fires. Defaults to the sandbox's. */
  timeoutMs?: number;
  /** Extra environment variables (never credentials), added to the clean allowlisted environment. */
  env?: Record<string, string>;
  /** The framework whose output format to parse first (guessed from the command when absent). */
  framework?: TestFramework;
  /** Aborts the run (kills the process tree), e.g. when the run is paused. */
  signal?: AbortSignal;
  /** Largest file the command may write, in bytes (RLIMIT_FSIZE): a write past it fails. Unlimited when absent. */
  maxFileBytes?: number;
}

/**
 * The sandbox port, version 1: runs a shell command with no network, a read-only file system except the worktree and a
 * private tmp, a clean environment, and limits on wall time, memory, processes and output.
 * Expected failures (non-zero exit, timeout, a limit) are results, never exceptions.
 */
export interface Sandbox {
  /** Version of this contract the adapter implements. */
  readonly specificationVersion: 'v1';
  /** `bubblewrap`, or `none` for the explicit, recorded opt-out. */
  readonly kind: 'bubblewrap' | 'none';
  /** Runs `command` with `/bin/sh -c` in `options.cwd`. */
  run(command: string, options: SandboxRunOptions): Promise<TestRunResult>;
}
