export * from '../response-cache/index.ts';
export { type BudgetMigration, budgetMigrations, budgetMigrationTable } from './budget-migrations.ts';
export { type BudgetStores, openBudgetStores } from './open-budget-stores.ts';
export { connectBudgetPool, type PostgresBudgetOptions } from './postgres-budget-database.ts';
export { PostgresBudgetStore } from './postgres-budget-store.ts';
export { PostgresProjectMemoryStore } from './postgres-project-memory-store.ts';
export { openBudgetDatabase } from './sqlite-budget-database.ts';
export { SqliteBudgetStore } from './sqlite-budget-store.ts';
export { SqliteProjectMemoryStore } from './sqlite-project-memory-store.ts';
