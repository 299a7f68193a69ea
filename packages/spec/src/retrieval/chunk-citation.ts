import { z } from 'zod';

/**
 * A role's claim that it used a retrieved chunk as evidence: the chunk id and the lines it relied on.
 * Validated at the model-output boundary; checked against the retrieved chunks with `checkCitations`.
 */
export const chunkCitationSchema = z.strictObject({
  /** The id of a chunk that was retrieved for this turn, e.g. `src/auth.ts:10-24#a1b2c3d4e5f6`. */
  chunkId: z.string().min(1),
  /** First cited line, 1-based; within the chunk's range. Defaults to the chunk's first line. */
  startLine: z.number().int().positive().optional(),
  /** Last cited line, 1-based, inclusive; within the chunk's range. Defaults to the chunk's last line. */
  endLine: z.number().int().positive().optional(),
});
export type ChunkCitation = z.infer<typeof chunkCitationSchema>;

/** Why a citation was rejected. */
export type InvalidCitationReason =
  /** The id is not of the form `<path>:<start>-<end>#<hash>`. */
  | 'malformed-id'
  /** The chunk was not among the chunks retrieved for this turn (an invented or stale citation). */
  | 'not-retrieved'
  /** The cited lines fall outside the chunk's line range, or start after they end. */
  | 'lines-outside-chunk';

/** A citation that does not hold, with the reason; the kernel reports these to the Critic as a protocol error. */
export interface InvalidCitation {
  /** The citation as the role gave it. */
  citation: ChunkCitation;
  /** Why it was rejected. */
  reason: InvalidCitationReason;
  /** One sentence a model or a human can act on. */
  message: string;
}
