import { z } from 'zod';

/** Why one edit did not apply (the `EditFailure` contract). */
export const editFailureSchema = z.strictObject({
  editIndex: z.number().int(),
  path: z.string(),
  reason: z.enum([
    'no-match',
    'ambiguous-match',
    'file-missing',
    'file-exists',
    'outside-worktree',
    'forbidden-path',
    'malformed-diff',
    'binary-file',
    'too-large',
  ]),
  message: z.string(),
  hunk: z.number().int().exactOptional(),
  firstDivergingLine: z
    .strictObject({ expected: z.string(), actual: z.string(), line: z.number().int() })
    .exactOptional(),
  closestMatch: z
    .strictObject({ startLine: z.number().int(), text: z.string(), similarity: z.number() })
    .exactOptional(),
});

const applyStrategySchema = z.enum(['exact', 'whitespace-tolerant', 'anchored-fuzzy', 'create', 'delete', 'rename']);

/** `patch-apply`: the result of applying an implementation's edits (atomic: all or none). */
export const patchApplyDataSchema = z.union([
  z.strictObject({
    ok: z.literal(true),
    /** Turn of the implementation applied. */
    turn: z.number().int().positive().optional(),
    applied: z.array(z.strictObject({ editIndex: z.number().int(), path: z.string(), strategy: applyStrategySchema })),
  }),
  z.strictObject({
    ok: z.literal(false),
    turn: z.number().int().positive().optional(),
    /** Why each failing edit did not apply (an `EditFailure`). */
    failures: z.array(editFailureSchema),
  }),
]);
export type PatchApplyData = z.infer<typeof patchApplyDataSchema>;

/** `test-run`: a test command ran in the sandbox. */
export const testRunDataSchema = z.strictObject({
  /** `red` (the new test must fail first), `green` (it must pass after the change), `check` (any other run). */
  phase: z.enum(['red', 'green', 'check']),
  command: z.string().min(1),
  exitCode: z.number().int(),
  /** Short summary (counts, first failure). */
  summary: z.string(),
  durationMs: z.number().nonnegative(),
  /** The sandbox that ran it: `none` is the explicit opt-out, to be carried into the PR's provenance. */
  sandbox: z.enum(['bubblewrap', 'none']).optional(),
  /** The turn whose edits were tested (the Test-writer's for `red`, the Builder's for `green`/`check`). */
  turn: z.number().int().positive().optional(),
  /** For `red`: whether the failure had the expected reason (an assertion, or the code under test missing). */
  verdict: z.strictObject({ kind: z.string().min(1), expectedReason: z.boolean(), explanation: z.string() }).optional(),
  /** Blob sha256 of the bounded output (stdout, then stderr), shown to the Critic, Builder and Test-writer. */
  outputSha256: z.string().optional(),
  /** A failing or unparsable run: the last lines of its output, bounded, control characters stripped. */
  outputTail: z.string().max(8000).optional(),
});
export type TestRunData = z.infer<typeof testRunDataSchema>;

/** `policy-verdict`: a gate's decision. */
export const policyVerdictDataSchema = z.strictObject({
  /** Gate name, e.g. `secrets`, `licenses`, `review`. */
  gate: z.string().min(1),
  verdict: z.enum(['pass', 'warn', 'block']),
  /** Findings (gate-specific objects, free of secrets). */
  findings: z.array(z.record(z.string(), z.unknown())),
});
export type PolicyVerdictData = z.infer<typeof policyVerdictDataSchema>;

/** `approval-request`: a human must approve before the run continues. */
export const approvalRequestDataSchema = z.looseObject({
  /** What needs approving, e.g. `pr-open`, `risky-path`. */
  gate: z.string().min(1),
  /** Why approval is needed. */
  reason: z.string().min(1),
});
export type ApprovalRequestData = z.infer<typeof approvalRequestDataSchema>;

/** `pr-open`: a pull request was opened (or found, on retry). */
export const prOpenDataSchema = z.strictObject({
  number: z.number().int().positive(),
  url: z.string().min(1),
  headBranch: z.string().min(1),
});
export type PrOpenData = z.infer<typeof prOpenDataSchema>;
