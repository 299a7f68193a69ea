export * from './budget/index.ts';
export type { PostgresStoreOptions } from './database/store-database.ts';
export { migrateStore, type StoreMigration, storeMigrations } from './database/store-migrations.ts';
export {
  PostgresJournalStore,
  type PostgresJournalStoreOptions,
  SqliteJournalStore,
  SqlJournalStore,
} from './journal/sql-journal-store.ts';
export * from './journal-store-errors.ts';
export { type JournalAppendNotifier, NotifyingJournalStore } from './notifying-journal-store.ts';
export { type OpenJournalStoreOptions, openJournalStore } from './open-journal-store.ts';
export { sha256Hex } from './prepare-events.ts';
export * from './telemetry/index.ts';
