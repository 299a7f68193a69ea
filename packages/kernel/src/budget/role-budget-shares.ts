/**
 * The share of a run's budget cap each role may spend (the Builder writes the most tokens; the reviewer reads one
 * diff). They sum to 1: `plan --dry-run` prints the split, and the capped ledger enforces it (`roleShares`), each role
 * spending from its own account under the run's, so one role cannot starve the others.
 */
export const defaultRoleBudgetShares: Readonly<Record<string, number>> = {
  architect: 0.2,
  builder: 0.35,
  critic: 0.2,
  'test-writer': 0.15,
  reviewer: 0.1,
};
