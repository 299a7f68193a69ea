export { type BudgetMigration, budgetMigrations, budgetMigrationTable } from './budget-migrations.ts';
export { PostgresBudgetStore } from './postgres-budget-store.ts';
export { connectBudgetPool, type PostgresBudgetOptions } from './postgres-budget-database.ts';
export { SqliteBudgetStore } from './sqlite-budget-store.ts';
export { openBudgetDatabase } from './sqlite-budget-database.ts';
