import { z } from 'zod';

/** One piece of a prompt the context packer left out or shortened. */
export const contextDropSchema = z.strictObject({
  /** The piece: `context:<n>` (repository context), `note:diff`, `note:tests-<n>`, `turn:<n>` (conversation). */
  id: z.string().min(1),
  /** `task`, `risk`, `note`, `code`, `turn` or `summary`. */
  kind: z.string().min(1),
  action: z.enum(['dropped', 'truncated', 'summarized']),
  originalTokens: z.number().int().nonnegative(),
  keptTokens: z.number().int().nonnegative(),
});
export type ContextDropData = z.infer<typeof contextDropSchema>;

/** `context-pack`: a turn's prompt did not fit the model's window or the step's token ceiling; what was cut to fit. */
export const contextPackDataSchema = z.strictObject({
  role: z.string().min(1),
  model: z.string().min(1),
  /** The model's context window and the step's token ceiling in force, when known. */
  contextWindow: z.number().int().positive().optional(),
  stepTokenCeiling: z.number().int().positive().optional(),
  /** Tokens the variable part of the prompt could use, and used. */
  availableTokens: z.number().int().nonnegative(),
  usedTokens: z.number().int().nonnegative(),
  dropped: z.array(contextDropSchema),
});
export type ContextPackData = z.infer<typeof contextPackDataSchema>;
