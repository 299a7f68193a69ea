import { z } from 'zod';

/** Body of `POST /v1/runs/:runId/pause`. */
export const pauseRunBodySchema = z.strictObject({
  /** Why the operator pauses, shown in the timeline. */
  detail: z.string().max(2_000).optional(),
});
export type PauseRunBody = z.infer<typeof pauseRunBodySchema>;

/** Body of `POST /v1/runs/:runId/resume`. */
export const resumeRunBodySchema = z.strictObject({
  /** What the operator changed before resuming; recorded in `run-resume.changes`. */
  changes: z
    .strictObject({
      /** A new instruction (also recorded as an `instruction-edit`). */
      instruction: z.string().min(1).max(20_000).optional(),
      /** A raised budget cap, USD. */
      maxUsd: z.number().positive().optional(),
      /** A raised turn cap. */
      maxTurns: z.number().int().positive().optional(),
    })
    .optional(),
});
export type ResumeRunBody = z.infer<typeof resumeRunBodySchema>;

/** Body of `POST /v1/runs/:runId/instruction`. */
export const editInstructionBodySchema = z.strictObject({
  /** The new instruction. */
  instruction: z.string().trim().min(1).max(20_000),
});
export type EditInstructionBody = z.infer<typeof editInstructionBodySchema>;

/** Body of `POST /v1/runs/:runId/steps/:stepId/rerun`. */
export const rerunStepBodySchema = z.strictObject({
  /** Why, for the record. */
  reason: z.string().max(2_000).optional(),
});
export type RerunStepBody = z.infer<typeof rerunStepBodySchema>;

/** Body of `POST /v1/runs/:runId/approvals`. */
export const approvalBodySchema = z.strictObject({
  /** Seq of the `approval-request` event answered. */
  requestSeq: z.number().int().positive(),
  /** The decision; `approve` when omitted. */
  decision: z.enum(['approve', 'reject']).default('approve'),
  /** Optional rationale. */
  comment: z.string().max(2_000).optional(),
});
export type ApprovalBody = z.infer<typeof approvalBodySchema>;

/** Every error response of the API. */
export interface ApiErrorBody {
  error: {
    /** Stable code, e.g. `api-unauthorized`, `api-body-invalid`, `run-not-found`. */
    code: string;
    /** What happened. */
    message: string;
    /** What to do. */
    hint?: string;
    /** For invalid bodies: the path of the first offending field, e.g. `changes.maxUsd`. */
    field?: string;
  };
}

/**
 * Version of the server-sent-events wire format of `GET /v1/runs/:runId/stream`: each journal event is one SSE
 * message with `id: <seq>` and `data: <JournalEvent JSON>` (default `message` event type); when the run has ended and
 * every event was sent, one `event: stream-end` with `data: {"lastSeq": n}` closes the stream. A reconnect with
 * `Last-Event-ID: n` (or `?after=n`) resumes from seq n + 1, with no gap and no duplicate.
 */
export const apiStreamVersion = 'v1';
