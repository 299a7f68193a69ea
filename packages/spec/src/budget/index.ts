export type {
  BudgetAccountResult,
  BudgetAccountSpec,
  BudgetAccountState,
  BudgetHold,
  BudgetHoldRequest,
  BudgetHoldResult,
  BudgetStore,
} from './budget-store.ts';
export type { ProjectMemoryStore, ProjectNote } from './project-memory-store.ts';
export type { CacheableRequest, CachedResponse, ResponseCacheStore } from './response-cache-store.ts';
