import { z } from 'zod';

/** Body of `POST /api/runs/:runId/pause`. */
export const pauseRunBodySchema = z.strictObject({
  /** Why the operator pauses, shown in the timeline (`reason` is accepted as an alias, as the console sends it). */
  detail: z.string().max(2_000).optional(),
  reason: z.string().max(2_000).optional(),
});
export type PauseRunBody = z.infer<typeof pauseRunBodySchema>;

/** Body of `POST /api/runs/:runId/resume`. */
export const resumeRunBodySchema = z.strictObject({
  /** What the operator changed before resuming; recorded in `run-resume.changes`. */
  changes: z
    .strictObject({
      /** A new instruction (also recorded as an `instruction-edit`). */
      instruction: z.string().trim().min(1).max(20_000).optional(),
      /** A raised budget cap, USD. */
      maxUsd: z.number().positive().optional(),
      /** A raised turn cap. */
      maxTurns: z.number().int().positive().optional(),
    })
    .optional(),
});
export type ResumeRunBody = z.infer<typeof resumeRunBodySchema>;

/** Body of `POST /api/runs/:runId/instruction`. */
export const editInstructionBodySchema = z.strictObject({
  /** The new instruction. */
  instruction: z.string().trim().min(1).max(20_000),
  /** Only this role's instruction, when set. */
  role: z.string().min(1).optional(),
});
export type EditInstructionBody = z.infer<typeof editInstructionBodySchema>;

/** Body of `POST /api/runs/:runId/steps/:stepId/rerun`. */
export const rerunStepBodySchema = z.strictObject({
  /** Why, for the record. */
  reason: z.string().max(2_000).optional(),
});
export type RerunStepBody = z.infer<typeof rerunStepBodySchema>;

/** Body of `POST /api/runs/:runId/approvals/:approvalId`. */
export const approvalBodySchema = z.strictObject({
  /** The decision. */
  decision: z.enum(['approve', 'reject']),
  /** Optional rationale. */
  comment: z.string().max(2_000).optional(),
});
export type ApprovalBody = z.infer<typeof approvalBodySchema>;

/** Body of `POST /api/runs`: start a run (only when the server was given a run launcher). */
export const startRunBodySchema = z.strictObject({
  /** The feature request. */
  task: z.string().trim().min(1).max(20_000),
  /** Target repository path; the server's default when omitted. */
  repo: z.string().min(1).optional(),
  /** Labels, e.g. `{ feature: 'auth' }`. */
  labels: z.record(z.string(), z.string()).optional(),
});
export type StartRunBody = z.infer<typeof startRunBodySchema>;

/** Every error response of the API. */
export interface ApiErrorBody {
  error: {
    /** Stable code, e.g. `api-unauthorized`, `api-body-invalid`, `run-not-found`. */
    code: string;
    /** What happened. */
    message: string;
    /** What to do. */
    hint?: string;
    /** For invalid input: the path of the first offending field, e.g. `changes.maxUsd`. */
    field?: string;
  };
}

/**
 * Version of the server-sent-events wire format of `GET /api/runs/:runId/stream`: each journal event is one SSE
 * message with `id: <seq>` and `data: <JournalEvent JSON>` (default `message` event type). Once the run has ended and
 * every event was sent, one `event: stream-end` with `data: {"lastSeq": n}` follows; the connection then
 * stays open (comment heartbeats) until the client closes it, so clients that reconnect on close do not loop. A
 * (re)connect with `Last-Event-ID: n` (or `?after=n`) resumes at seq n + 1, with no gap and no duplicate.
 */
export const apiStreamVersion = 'v1';
