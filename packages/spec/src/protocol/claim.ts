import { z } from 'zod';

/** A statement a message asserts, e.g. "README.md has no usage section". */
export const claimSchema = z.strictObject({
  /** The statement, in one sentence. */
  statement: z.string().min(1),
  /** Indexes into the message's `evidence[]` that back the statement. */
  evidence: z.array(z.number().int().nonnegative()).default([]),
});
export type Claim = z.infer<typeof claimSchema>;
