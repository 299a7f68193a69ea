import { z } from 'zod';

/** A model's list price, per million tokens in US dollars. Bundled in packages/providers; users may add or override entries. */
export const modelPriceSchema = z.strictObject({
  /** Provider adapter name, e.g. `anthropic`. */
  provider: z.string().min(1),
  /** Model id as configured, e.g. `claude-sonnet-4-6`. */
  model: z.string().min(1),
  /** Other ids billed the same (dated snapshots). */
  aliases: z.array(z.string()).default([]),
  /** USD per million input tokens. */
  input: z.number().nonnegative(),
  /** USD per million output tokens. */
  output: z.number().nonnegative(),
  /** USD per million tokens written to the prompt cache. */
  cacheWrite: z.number().nonnegative(),
  /** USD per million tokens read from the prompt cache. */
  cacheRead: z.number().nonnegative(),
  /** Context window, in tokens. */
  contextWindow: z.number().int().positive(),
  /** Date (YYYY-MM-DD) the price was last compared with the vendor's price page. */
  checkedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
});
export type ModelPrice = z.output<typeof modelPriceSchema>;
