import { join } from 'node:path';
import type { BudgetStore, ProjectMemoryStore, ResponseCacheStore } from '@orchestrator/spec';
import { PostgresResponseCacheStore, SqliteResponseCacheStore } from '../response-cache/sql-response-cache-store.ts';
import { PostgresBudgetStore, SqliteBudgetStore } from './sql-budget-store.ts';
import { PostgresProjectMemoryStore, SqliteProjectMemoryStore } from './sql-project-memory-store.ts';

export interface BudgetStores {
  budget: BudgetStore;
  responseCache: ResponseCacheStore;
  projectMemory: ProjectMemoryStore;
  /** Closes the three stores. */
  close(): Promise<void>;
}

/**
 * Opens the budget store, the response cache and project memory in the journal's database, as `openJournalStore`
 * chooses it: PostgreSQL when a database URL is set, else `<dataDir>/journal.db` (a WAL file several connections share).
 */
export async function openBudgetStores(options: { dataDir: string; databaseUrl?: string }): Promise<BudgetStores> {
  let stores: Omit<BudgetStores, 'close'>;
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    const url = options.databaseUrl;
    const budget = await PostgresBudgetStore.connect(url, { maxConnections: 4 });
    stores = {
      budget,
      responseCache: await PostgresResponseCacheStore.connect(url, { maxConnections: 2 }),
      projectMemory: await PostgresProjectMemoryStore.connect(url, { maxConnections: 1 }),
    };
  } else {
    const file = join(options.dataDir, 'journal.db');
    stores = {
      budget: SqliteBudgetStore.open(file),
      responseCache: SqliteResponseCacheStore.open(file),
      projectMemory: SqliteProjectMemoryStore.open(file),
    };
  }
  return {
    ...stores,
    close: async () => {
      await Promise.all([stores.budget.close(), stores.responseCache.close(), stores.projectMemory.close()]);
    },
  };
}
