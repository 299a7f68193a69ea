import { z } from 'zod';

/** The fence info string marking the provenance block in a pull request body. */
export const provenanceFenceLabel = 'orchestrator-provenance';

/** A model that took part in the run, per role. */
export const provenanceModelSchema = z.strictObject({
  /** Role the model played, e.g. `builder`. */
  role: z.string().min(1),
  /** Provider adapter, e.g. `anthropic`. */
  provider: z.string().min(1),
  /** Model id requested. */
  model: z.string().min(1),
  /** Model ids the provider reported serving (dated snapshots), when they differ or are known. */
  versions: z.array(z.string()),
  /** Number of calls made by this role with this model. */
  calls: z.number().int().nonnegative(),
});

/** One model call: the hashes of its prompt and response; the contents stay in the journal's blob table. */
export const provenanceCallSchema = z.strictObject({
  /** Call id from the journal. */
  callId: z.string().min(1),
  /** Role that made the call. */
  role: z.string(),
  /** Model id requested. */
  model: z.string(),
  /** sha256 (hex) of the request as stored in the journal. */
  requestSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256 (hex) of the response; absent when the call failed. */
  responseSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** One test run that the run relied on. */
export const provenanceTestSchema = z.strictObject({
  /** `red` (the new test fails first), `green` (it passes after the change) or `check`. */
  phase: z.string(),
  /** The command run. */
  command: z.string(),
  /** Its exit code. */
  exitCode: z.number().int(),
  /** One-line summary (counts of passed and failed tests). */
  summary: z.string(),
  /** The sandbox that ran it (`bubblewrap`, or `none` for the explicit opt-out), when the journal records it. */
  sandbox: z.string().optional(),
});

/** One policy gate's verdict. */
export const provenancePolicySchema = z.strictObject({
  /** Gate name, e.g. `secrets`. */
  gate: z.string(),
  /** Verdict, e.g. `pass`, `warn`, `block`. */
  verdict: z.string(),
  /** How many findings the gate reported. */
  findings: z.number().int().nonnegative(),
});

/** The provenance block, version 1: what a reviewer needs to trust (and verify) how a pull request was made. */
export const provenanceSchema = z.strictObject({
  /** Schema version of the block. */
  specificationVersion: z.literal('v1'),
  /** Run that produced the change. */
  runId: z.string().min(1),
  /** The task as the user stated it. */
  task: z.string().optional(),
  /** Models per role. */
  models: z.array(provenanceModelSchema),
  /** Every model call with prompt and response hashes. */
  calls: z.array(provenanceCallSchema),
  /** Test evidence. */
  tests: z.array(provenanceTestSchema),
  /** Money and tokens spent. */
  spend: z.strictObject({
    /** Total cost in US dollars. */
    usd: z.number().nonnegative(),
    /** Total input tokens (including cache reads and writes). */
    inputTokens: z.number().int().nonnegative(),
    /** Total output tokens. */
    outputTokens: z.number().int().nonnegative(),
  }),
  /** Policy verdicts. */
  policy: z.array(provenancePolicySchema),
});

/** The provenance block carried by a pull request body. */
export type Provenance = z.infer<typeof provenanceSchema>;
