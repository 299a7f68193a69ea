import { z } from 'zod';

/**
 * Control events: requests an operator makes through the API (or console) that the server appends to the run's
 * journal and the kernel honours at its next step boundary. `run-pause` and `run-resume` reuse the kernel's own event
 * types (`runPauseDataSchema`, `runResumeDataSchema`); an operator pause carries `reason: 'operator'`.
 */
export const operatorPauseReason = 'operator';

/** `instruction-edit`: replaces the task instruction from the next step on (the original stays in `run-start`). */
export const instructionEditDataSchema = z.strictObject({
  /** The new instruction, verbatim. */
  instruction: z.string().min(1),
  /** When set, the instruction replaces only this role's instruction; otherwise the task's. */
  role: z.string().min(1).optional(),
  /** Who edited it: `api`, `console`, `cli`, or a user name. */
  by: z.string().min(1),
});
export type InstructionEditData = z.infer<typeof instructionEditDataSchema>;

/** `step-rerun`: asks the kernel to run this (completed) step again; the old result stays in the journal. */
export const stepRerunDataSchema = z.strictObject({
  /** The step to re-run (a `stepId` that has a `step-start`). */
  stepId: z.string().min(1),
  /** Who asked. */
  by: z.string().min(1),
  /** Why, for the record. */
  reason: z.string().optional(),
});
export type StepRerunData = z.infer<typeof stepRerunDataSchema>;

/**
 * The id of an `approval-request`: its `data.approvalId`, else its `data.id`, else its seq as a string. The console and
 * the API compute it the same way.
 */
export function approvalIdOf(event: { seq: number; data: unknown }): string {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
  const id = data.approvalId ?? data.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : String(event.seq);
}

/** `approval-decision`: a human's answer to an `approval-request`. */
export const approvalDecisionDataSchema = z.strictObject({
  /** Id of the `approval-request` answered (see `approvalIdOf`). */
  approvalId: z.string().min(1),
  /** The decision. */
  decision: z.enum(['approve', 'reject']),
  /** Who decided. */
  by: z.string().min(1),
  /** Optional rationale. */
  comment: z.string().optional(),
});
export type ApprovalDecisionData = z.infer<typeof approvalDecisionDataSchema>;

/** Payload schemas of the control event types this area adds to the journal vocabulary. */
export const runControlEventDataSchemas = {
  'instruction-edit': instructionEditDataSchema,
  'step-rerun': stepRerunDataSchema,
  'approval-decision': approvalDecisionDataSchema,
} as const;
export type RunControlEventType = keyof typeof runControlEventDataSchemas;

/**
 * True for events an operator's request adds to a running journal (through the API): an operator `run-pause`, a
 * `run-resume`, and the control types above. A kernel whose append fails with `journal-conflict` reads the events
 * after its last seq; when all of them satisfy this, it folds them (`readRunControlState`), takes the new last seq,
 * and carries on — honouring a pause at the next step boundary — instead of failing the run.
 */
export function isOperatorControlEvent(event: { type: string; data: unknown }): boolean {
  if (event.type === 'run-pause') {
    const data = event.data as { reason?: unknown } | null;
    return data?.reason === operatorPauseReason;
  }
  return event.type === 'run-resume' || Object.hasOwn(runControlEventDataSchemas, event.type);
}
