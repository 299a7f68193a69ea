import { z } from 'zod';
import { chunkCitationSchema } from './chunk-citation.ts';

/** The journaled form of an `InvalidCitation` (in the `message` event of the turn that made it). */
export const invalidCitationSchema = z.strictObject({
  /** The citation as the role gave it. */
  citation: chunkCitationSchema,
  /** Why it was rejected: `malformed-id`, `not-retrieved` (invented or stale) or `lines-outside-chunk`. */
  reason: z.enum(['malformed-id', 'not-retrieved', 'lines-outside-chunk']),
  /** One sentence a model or a human can act on. */
  message: z.string(),
});
