export * from '../response-cache/index.ts';
export { type BudgetStores, openBudgetStores } from './open-budget-stores.ts';
export { PostgresBudgetStore, SqlBudgetStore, SqliteBudgetStore } from './sql-budget-store.ts';
export {
  PostgresProjectMemoryStore,
  SqliteProjectMemoryStore,
  SqlProjectMemoryStore,
} from './sql-project-memory-store.ts';
