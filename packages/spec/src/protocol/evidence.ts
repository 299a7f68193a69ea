import { z } from 'zod';

/** A reference to lines of a file in the workspace. Lines are 1-based and inclusive. */
export const fileEvidenceSchema = z.strictObject({
  kind: z.literal('file'),
  /** Path relative to the worktree root, with forward slashes. */
  path: z.string().min(1),
  /** First line referenced (1-based). */
  startLine: z.number().int().positive(),
  /** Last line referenced (inclusive, ≥ startLine). */
  endLine: z.number().int().positive(),
  /** Why these lines matter, in one sentence. */
  note: z.string().optional(),
});

/** A reference to a chunk returned by retrieval (phase 6), by its id. */
export const chunkEvidenceSchema = z.strictObject({
  kind: z.literal('chunk'),
  /** The retrieved chunk's id as cited in the prompt, e.g. `src/auth.ts:8-11#a1b2c3d4e5f6`. */
  chunkId: z.string().min(1),
  /** First line relied on (1-based, within the chunk's range); omitted: the chunk's first line. */
  startLine: z.number().int().positive().optional(),
  /** Last line relied on (inclusive, within the chunk's range); omitted: the chunk's last line. */
  endLine: z.number().int().positive().optional(),
  /** Why the chunk matters. */
  note: z.string().optional(),
});

/** Output of a command (tests, linters) backing a claim. */
export const testOutputEvidenceSchema = z.strictObject({
  kind: z.literal('test-output'),
  /** The command that was run, e.g. `npm test`. */
  command: z.string().min(1),
  /** Its exit code, when known. */
  exitCode: z.number().int().optional(),
  /** The relevant excerpt of the output (kept short). */
  excerpt: z.string(),
});

/** Something a message cites to back its claims. */
export const evidenceSchema = z.discriminatedUnion('kind', [
  fileEvidenceSchema,
  chunkEvidenceSchema,
  testOutputEvidenceSchema,
]);
export type Evidence = z.infer<typeof evidenceSchema>;
