import { z } from 'zod';

/** A rubric score from 1 (poor) to 5 (excellent). */
export const rubricScoreSchema = z.number().int().min(1).max(5);

/** The critic's rubric: one score per criterion. */
export const rubricSchema = z.strictObject({
  /** Does the change do what it claims, without bugs? */
  correctness: rubricScoreSchema,
  /** Does it cover the whole task? */
  completeness: rubricScoreSchema,
  /** How safe is it (5 = no open risk)? */
  risk: rubricScoreSchema,
  /** Are the changed behaviours tested? */
  testCoverage: rubricScoreSchema,
  /** Does it stay within the task, touching nothing unrelated? */
  scope: rubricScoreSchema,
});
export type Rubric = z.infer<typeof rubricSchema>;

/** The critic's decision: `accept`, `revise` (fix the implementation), `reject` (the approach is wrong; re-propose). */
export const verdictSchema = z.enum(['accept', 'revise', 'reject']);
export type Verdict = z.infer<typeof verdictSchema>;
