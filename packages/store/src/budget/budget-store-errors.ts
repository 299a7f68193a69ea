import { SystemError } from '@orchestrator/spec';

/** A budget operation named an account that was never opened (a kernel bug, not a user mistake). */
export function budgetAccountMissingError(accountId: string): SystemError {
  return new SystemError({
    code: 'budget-account-missing',
    message: `The budget account ${accountId} does not exist.`,
    hint: 'Open the run account (and its parents) before reserving; resume re-opens it from the run-start event.',
    details: { accountId },
  });
}
