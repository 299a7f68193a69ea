import { SystemError, UserError } from '@orchestrator/spec';

/** Another writer appended to the run since the caller read it (optimistic concurrency failed). */
export function journalConflictError(runId: string, expectedLastSeq: number, actualLastSeq: number): SystemError {
  return new SystemError({
    code: 'journal-conflict',
    message: `Run ${runId} has last seq ${actualLastSeq}, but the append expected ${expectedLastSeq}: another writer appended first.`,
    hint: 'Re-read the journal and retry; only one process should drive a run at a time.',
    details: { runId, expectedLastSeq, actualLastSeq },
  });
}

/** A seq collided with one already stored: a concurrent writer won the race; nothing of this batch was written. */
export function journalDuplicateSeqError(runId: string, cause: unknown): SystemError {
  return new SystemError({
    code: 'journal-conflict',
    message: `Run ${runId}: a concurrent append stored the same seq first; this batch was not written.`,
    hint: 'Re-read the journal and retry; only one process should drive a run at a time.',
    details: { runId },
    cause,
  });
}

/** The caller passed an event the store cannot persist. */
export function journalEventInvalidError(runId: string, index: number, reason: string): UserError {
  return new UserError({
    code: 'journal-event-invalid',
    message: `Run ${runId}: event #${index} of the batch is invalid: ${reason}.`,
    hint: 'Events need a non-empty `type`, JSON-serialisable `data` and, when given, an ISO-8601 `at`.',
    details: { runId, index },
  });
}

/** The database could not be opened or migrated. */
export function storeUnavailableError(location: string, cause: unknown): SystemError {
  return new SystemError({
    code: 'store-unavailable',
    message: `The journal store at ${location} could not be opened: ${cause instanceof Error ? cause.message : String(cause)}.`,
    hint: 'Check the path or DATABASE_URL, the permissions, and that no other program holds an exclusive lock.',
    details: { location },
    cause,
  });
}
