import { z } from 'zod';
import { protocolMessageSchema } from '../protocol/protocol-message.ts';
import { invalidCitationSchema } from '../retrieval/invalid-citation-schema.ts';

/** `step-start`: a role begins its turn. */
export const stepStartDataSchema = z.strictObject({
  /** The role speaking. */
  role: z.string().min(1),
  /** Turn number, from 1. */
  turn: z.number().int().positive(),
  /** The message kind the role is asked for (`propose`, `critique`, `implement`, `verify`), or another step kind. */
  kind: z.string().min(1),
});
export type StepStartData = z.infer<typeof stepStartDataSchema>;

/** `step-end`: the turn is complete; its results are recorded and it is never re-executed. */
export const stepEndDataSchema = z.strictObject({
  /** `ok`, or `failed` when the step produced no usable result (the run pauses). */
  status: z.enum(['ok', 'failed']),
  /** Step result summary (e.g. sha256 of the workspace diff after the step). */
  result: z.record(z.string(), z.unknown()).optional(),
});
export type StepEndData = z.infer<typeof stepEndDataSchema>;

/** `message`: a validated debate message. */
export const messageDataSchema = z.strictObject({
  /** The role that wrote it. */
  role: z.string().min(1),
  /** Its turn number. */
  turn: z.number().int().positive(),
  /** The message. */
  message: protocolMessageSchema,
  /**
   * For `implement`: blob sha256 of the pre-image of every file the edits touch (JSON `{ path: content | null }`),
   * recorded before the edits are applied so an interrupted application can be rolled back and redone on resume.
   */
  preImageSha256: z.string().optional(),
  /** Ids of the chunks retrieved for this turn (phase 6): the only chunk ids the message may cite. */
  retrievedChunkIds: z.array(z.string()).optional(),
  /**
   * Chunk citations of the message that failed `checkCitations` (a protocol error): an `implement` with one cannot
   * converge, and the Critic is told. Absent when every citation holds.
   */
  invalidCitations: z.array(invalidCitationSchema).optional(),
  /** Invalid citations of an earlier reply in this turn that the role corrected when re-asked (kept for the audit). */
  repairedCitations: z.array(invalidCitationSchema).optional(),
});
export type MessageData = z.infer<typeof messageDataSchema>;
