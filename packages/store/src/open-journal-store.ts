import { join } from 'node:path';
import type { JournalStore } from '@orchestrator/spec';
import { PostgresJournalStore, SqliteJournalStore } from './journal/sql-journal-store.ts';

export interface OpenJournalStoreOptions {
  /** The orchestrator data directory; the embedded store lives at `<dataDir>/journal.db`. */
  dataDir: string;
  /** `DATABASE_URL`: when set (postgres:// or postgresql://), the shared PostgreSQL store is used instead. */
  databaseUrl?: string;
}

/** Which store a composition root opens: PostgreSQL when a database URL is configured, else the SQLite file. */
export async function openJournalStore(options: OpenJournalStoreOptions): Promise<JournalStore> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return PostgresJournalStore.connect(options.databaseUrl);
  }
  return SqliteJournalStore.open(join(options.dataDir, 'journal.db'));
}
