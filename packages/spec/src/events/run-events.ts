import { z } from 'zod';

/** A role's model binding as recorded at run start (enough to rebuild the same model on resume). */
export const recordedRoleSchema = z.strictObject({
  /** Role name, e.g. `architect`. */
  role: z.string().min(1),
  /** Provider adapter, e.g. `scripted`, `anthropic`. */
  provider: z.string().min(1),
  /** Model id. */
  model: z.string().min(1),
  /** Upper bound on output tokens per call. */
  maxOutputTokens: z.number().int().positive().optional(),
  /** Sampling temperature. */
  temperature: z.number().optional(),
});
export type RecordedRole = z.infer<typeof recordedRoleSchema>;

/** The loop limits in force for the run. */
export const runLimitsSchema = z.strictObject({
  /** Turn cap (one turn = one role speaking). */
  maxTurns: z.number().int().positive(),
  /** Deadlock: pause after this many critic non-accepts in a row. */
  maxRejections: z.number().int().positive(),
  /** Re-asks of a malformed reply before pausing. */
  maxRepairAttempts: z.number().int().nonnegative(),
  /** Wall-clock cap, in minutes. */
  maxMinutes: z.number().positive(),
  /** Largest edit payload the Builder or Test-writer may send, in bytes (default 1 MiB). */
  maxEditBytes: z.number().int().positive().optional(),
  /** Largest file an edit batch may write, in bytes (default 1 MiB). */
  maxFileBytes: z.number().int().positive().optional(),
  /** Largest edit batch (all edits of one message), in bytes (default 5 MiB). */
  maxDiffBytes: z.number().int().positive().optional(),
  /** What one test run may write into the worktree, in bytes (default 256 MiB); beyond it the step fails. */
  testDiskQuotaBytes: z.number().int().positive().optional(),
});
export type RunLimits = z.infer<typeof runLimitsSchema>;

/** How a run tests its changes, recorded at its start (and copied into the pull request's provenance). */
export const runTestsSchema = z.strictObject({
  /** `bubblewrap`, or `none`: the explicit opt-out (`--sandbox none`). */
  sandbox: z.enum(['bubblewrap', 'none']),
  /** The test command run from the worktree root, e.g. `npm test`; absent when none was detected or configured. */
  command: z.string().min(1).optional(),
  /** The framework whose output is parsed and for which acceptance tests are written, e.g. `node-test`. */
  framework: z.string().min(1).optional(),
  /** Where the command came from: `config`, `package.json`, `pytest`… */
  source: z.string().min(1).optional(),
  /** One sentence: why this command, or why there is none. */
  reason: z.string(),
});
export type RunTests = z.infer<typeof runTestsSchema>;

/** `run-start`: the first event of every run. */
export const runStartDataSchema = z.strictObject({
  /** The user's task, verbatim. */
  task: z.string().min(1),
  /** Absolute path of the target repository. */
  repo: z.string().min(1),
  /** Short name of the task used in the branch name. */
  slug: z.string().min(1),
  /** Free-form labels (feature, ticket…). */
  labels: z.record(z.string(), z.string()),
  /** The role bindings. */
  roles: z.array(recordedRoleSchema).min(1),
  /** The limits. */
  limits: runLimitsSchema,
  /** Budget cap in USD, when set. */
  maxUsd: z.number().positive().optional(),
  /** When true, the Critic critiques each proposal before the Builder implements it. */
  critiqueProposals: z.boolean().optional(),
  /**
   * The tests of the run, decided at start: the sandbox and the detected (or configured) test command. Without a
   * `command` no test runs and the Test-writer is not asked (`reason` says why). Absent: the runtime had no test tools.
   */
  tests: runTestsSchema.optional(),
});
export type RunStartData = z.infer<typeof runStartDataSchema>;

/** Why a run paused. The kernel's reasons are listed; other gates may add their own. */
export const kernelPauseReasons = [
  'turn-cap',
  'budget-exhausted',
  'stagnation',
  'deadlock',
  'malformed-output',
  'model-error',
  'provider-overloaded',
  'provider-rate-limited',
  'time-cap',
  'red-test-invalid',
  'tests-failing',
  'sandbox-error',
] as const;
export type KernelPauseReason = (typeof kernelPauseReasons)[number];

/** `run-pause`: the run stopped and waits for a human (edit, raise a limit, resume). */
export const runPauseDataSchema = z.strictObject({
  /** Machine-readable reason, e.g. `turn-cap`, `stagnation`. */
  reason: z.string().min(1),
  /** What happened, for a human, including what to do. */
  detail: z.string(),
});
export type RunPauseData = z.infer<typeof runPauseDataSchema>;

/** `run-resume`: a paused or interrupted run continues. */
export const runResumeDataSchema = z.strictObject({
  /** Who resumed: `cli`, `api`, `worker`, or a user name. */
  by: z.string().min(1),
  /** What was changed before resuming (e.g. raised limits), when anything was. */
  changes: z.record(z.string(), z.unknown()).optional(),
});
export type RunResumeData = z.infer<typeof runResumeDataSchema>;

/** `run-end`: the last event of a finished run. */
export const runEndDataSchema = z.strictObject({
  /** `converged` (the debate agreed), `failed` (an unrecoverable error), `cancelled` (a user stopped it). */
  status: z.enum(['converged', 'failed', 'cancelled']),
  /** The final unified diff of the workspace. */
  diff: z.string().optional(),
});
export type RunEndData = z.infer<typeof runEndDataSchema>;
