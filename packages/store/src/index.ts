export * from './journal-store-errors.ts';
export { type JournalAppendNotifier, NotifyingJournalStore } from './notifying-journal-store.ts';
export { type OpenJournalStoreOptions, openJournalStore } from './open-journal-store.ts';
export { PostgresJournalStore, type PostgresJournalStoreOptions } from './postgres/postgres-journal-store.ts';
export { migratePostgres, type PostgresMigration, postgresMigrations } from './postgres/postgres-migrations.ts';
export { sha256Hex } from './prepare-events.ts';
export { SqliteJournalStore } from './sqlite/sqlite-journal-store.ts';
export { migrateSqlite, type SqliteMigration, sqliteMigrations } from './sqlite/sqlite-migrations.ts';
export * from './telemetry/index.ts';
