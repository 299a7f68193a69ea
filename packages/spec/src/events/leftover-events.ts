import { z } from 'zod';

/** A file left behind by a command run in the worktree. */
export const leftoverFileSchema = z.strictObject({
  /** Path relative to the worktree root. */
  path: z.string().min(1),
  /** `added`, `modified` or `deleted` by the command. */
  change: z.enum(['added', 'modified', 'deleted']),
  /** Size in bytes (for `deleted`: before). */
  bytes: z.number().int().nonnegative(),
  /** True when the repository ignores the path (it could never be committed). */
  ignored: z.boolean().optional(),
});
export type LeftoverFile = z.infer<typeof leftoverFileSchema>;

/**
 * `test-leftovers`: files that a test run (or anything but the model's edits) created, changed or deleted in the
 * worktree. They are not the model's change: they are dropped (put back as they were) and never committed, or, when the
 * policy says `leftovers: require-approval`, held for a human's approval.
 */
export const testLeftoversDataSchema = z.strictObject({
  /** `test-run`: found after a test run; `commit`: found at delivery, outside the paths the model's edits touched. */
  stage: z.enum(['test-run', 'commit']),
  /** The test phase (`red`, `green`, `check`) for `test-run`. */
  phase: z.string().optional(),
  /** The turn whose tests left them (absent for the baseline and at commit). */
  turn: z.number().int().positive().optional(),
  /** The files (at most 200 listed; `count` has them all). */
  files: z.array(leftoverFileSchema),
  /** How many files in all. */
  count: z.number().int().nonnegative(),
  /** Their total size in bytes. */
  totalBytes: z.number().int().nonnegative(),
  /** `dropped`: put back as they were; `approval-requested`: held until a human approves or rejects them. */
  action: z.enum(['dropped', 'approval-requested', 'approved']),
  /** Paths that could not be put back (still in the worktree; never committed). */
  notRestored: z.array(z.string()).optional(),
  /** The disk quota of a test run, in bytes, when the leftovers exceeded it. */
  quotaExceededBytes: z.number().int().positive().optional(),
});
export type TestLeftoversData = z.infer<typeof testLeftoversDataSchema>;
