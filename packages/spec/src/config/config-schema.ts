import { z } from 'zod';
import { modelPriceSchema } from './model-price-schema.ts';

/** A role's binding to a provider and model. */
export const roleBindingSchema = z.strictObject({
  /** Provider adapter: `scripted` (offline), `anthropic`, `openai` (or any OpenAI-compatible endpoint). */
  provider: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case provider name such as scripted, anthropic or openai'),
  /** Model id, e.g. `claude-sonnet-4-6` or `gpt-5`. */
  model: z.string().min(1),
  /** Upper bound on output tokens per call. */
  maxOutputTokens: z.number().int().positive().max(200_000).default(4096),
  /** Sampling temperature (dropped, with a warning, for models that reject it). */
  temperature: z.number().min(0).max(2).optional(),
  /** Reasoning effort, mapped to OpenAI `reasoning.effort` and Anthropic `thinking` budgets (models without it ignore it, with a warning). */
  reasoning: z.strictObject({ effort: z.enum(['none', 'minimal', 'low', 'medium', 'high']) }).optional(),
});
export type RoleBinding = z.infer<typeof roleBindingSchema>;

export const roleNames = ['architect', 'builder', 'critic', 'test-writer', 'verifier', 'reviewer'] as const;
export type RoleName = (typeof roleNames)[number];

export const limitsSchema = z.strictObject({
  /** Hard cap on debate turns (one turn = one role speaking). */
  maxTurns: z.number().int().min(1).max(200).default(12),
  /** Deadlock rule: pause after this many critic rejections in a row. */
  maxRejections: z.number().int().min(1).max(50).default(3),
  /** Bounded repair: how often a malformed model reply is re-asked with the validation error. */
  maxRepairAttempts: z.number().int().min(0).max(5).default(1),
  /** Wall-clock cap for a run, in minutes. */
  maxMinutes: z
    .number()
    .positive()
    .max(24 * 60)
    .default(60),
  /** Largest edit the Builder or Test-writer may send, in bytes; larger ones are refused and re-asked (1 MiB). */
  maxEditBytes: z
    .number()
    .int()
    .positive()
    .max(64 * 1024 * 1024)
    .optional(),
  /** Largest file an edit may write, in bytes (1 MiB); a file already larger may be edited if it does not grow. */
  maxFileBytes: z
    .number()
    .int()
    .positive()
    .max(64 * 1024 * 1024)
    .optional(),
  /** Largest set of edits in one reply, in bytes (5 MiB). */
  maxDiffBytes: z
    .number()
    .int()
    .positive()
    .max(256 * 1024 * 1024)
    .optional(),
  /** What one test run may write into the worktree, in bytes (256 MiB); beyond it the step fails and the run pauses. */
  testDiskQuotaBytes: z
    .number()
    .int()
    .positive()
    .max(16 * 1024 ** 3)
    .optional(),
});

export const budgetSchema = z.strictObject({
  /** Run budget cap in US dollars; unset means no cap (unpriced models are then allowed). */
  maxUsd: z.number().positive().optional(),
  /** Cap on total tokens per step (input + output). */
  maxTokensPerStep: z.number().int().positive().optional(),
  /** Serve identical requests from the response cache at zero cost. */
  cache: z.boolean().default(true),
});

export const gitSchema = z.strictObject({
  /** Branch name prefix; the branch is `<prefix><run-id>-<slug>`. */
  branchPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._/-]+$/)
    .default('orchestrator/'),
  /** Commit author; defaults to `Orchestrator <orchestrator@localhost>`. */
  authorName: z.string().min(1).default('Orchestrator'),
  authorEmail: z.email().default('orchestrator@localhost'),
  /** Add a `Co-authored-by:` trailer naming this person. */
  coAuthoredBy: z.string().optional(),
  /** Base branch of pull requests; defaults to the repository's current branch. */
  baseBranch: z.string().optional(),
});

export const forgeSchema = z.strictObject({
  /** `local` (bare repository + PR records in the store, the default) or `github`. */
  kind: z.enum(['local', 'github']).default('local'),
  /** For GitHub: `owner/name`; defaults to GITHUB_REPOSITORY. */
  repository: z
    .string()
    .regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')
    .optional(),
  /** For GitHub Enterprise or a local stand-in: the REST API base URL. */
  apiUrl: z.url().optional(),
  labels: z.array(z.string()).default([]),
  reviewers: z.array(z.string()).default([]),
});

export const providerSettingsSchema = z.strictObject({
  /** Override the API base URL (OpenAI-compatible servers, replay servers). */
  baseUrl: z.url().optional(),
  /** Retries of a failed call (429/5xx/overloaded/idle timeouts); each wait is at most `maxRetryAfterSeconds`. */
  maxRetries: z.number().int().min(0).max(10).default(2),
  /** Total deadline of one model call, retries included, in seconds. */
  timeoutSeconds: z.number().positive().max(3600).default(600),
  /**
   * Longest silence from the provider (before the first byte, between bytes) before the call ends as a timeout; 300.
   * A non-streamed reply sends its first byte only when complete, so slow reasoning models may need more.
   */
  idleTimeoutSeconds: z.number().positive().max(3600).optional(),
  /** Longest `retry-after` honoured (30 by default); beyond it the run pauses with "rate-limited until <time>". */
  maxRetryAfterSeconds: z.number().min(0).max(3600).optional(),
  /**
   * OpenAI only: `responses` (the Responses API, default for api.openai.com) or `chat-completions` (default for any
   * other base URL: OpenAI-compatible servers such as vLLM, Ollama and gateways).
   */
  api: z.enum(['responses', 'chat-completions']).optional(),
});

export const sandboxSchema = z.strictObject({
  /** `bubblewrap` (default) or `none` (explicit opt-out, recorded in the provenance). */
  kind: z.enum(['bubblewrap', 'none']).default('bubblewrap'),
  /** The test command; detected from the repository when unset. */
  testCommand: z.string().optional(),
  timeoutSeconds: z.number().positive().max(3600).default(300),
  memoryMb: z.number().int().positive().default(2048),
});

/** Retrieve-then-prompt (phase 6): each turn gets the repository's best chunks (ids to cite) and the repo map. */
export const retrievalSchema = z.strictObject({
  /** Index the run's worktree and put retrieved chunks and the repo map in every prompt; off: file list only. */
  enabled: z.boolean().default(true),
  /** Chunks retrieved per turn. */
  k: z.number().int().min(1).max(50).default(8),
  /** Token budget of the repository map in each prompt; 0 leaves the map out. */
  mapTokens: z.number().int().min(0).max(16_384).default(512),
  /**
   * Fuse BM25 with embeddings from an OpenAI-compatible endpoint (ORCHESTRATOR_EMBEDDINGS_MODEL, …_BASE_URL, …_API_KEY).
   * Off by default; never required.
   */
  embeddings: z.boolean().default(false),
});

/** The whole `orchestrator.config.*` file. Every section is optional; defaults make the product work offline. */
export const configSchema = z.strictObject({
  /** Role bindings; unspecified roles fall back to the defaults (scripted when no provider key is set). */
  roles: z.partialRecord(z.enum(roleNames), roleBindingSchema).default({}),
  limits: limitsSchema.default(limitsSchema.parse({})),
  budget: budgetSchema.default(budgetSchema.parse({})),
  git: gitSchema.default(gitSchema.parse({})),
  forge: forgeSchema.default(forgeSchema.parse({})),
  providers: z
    .strictObject({ anthropic: providerSettingsSchema.optional(), openai: providerSettingsSchema.optional() })
    .default({}),
  sandbox: sandboxSchema.default(sandboxSchema.parse({})),
  retrieval: retrievalSchema.default(retrievalSchema.parse({})),
  /** Extra or overriding model prices (USD per million tokens); they take precedence over the bundled table. */
  prices: z.array(modelPriceSchema).default([]),
  /** Where runs, worktrees and the store live; defaults to ORCHESTRATOR_HOME or ~/.local/share/orchestrator. */
  dataDir: z.string().optional(),
  /** Database URL; unset means the embedded SQLite store in the data directory. `postgres://…` selects PostgreSQL. */
  databaseUrl: z.string().optional(),
});

/** The configuration as written in a file (defaults not yet applied). */
export type ConfigInput = z.input<typeof configSchema>;
/** The configuration after validation and defaults. */
export type Config = z.output<typeof configSchema>;
