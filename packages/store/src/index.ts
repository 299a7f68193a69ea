export * from './journal-store-errors.ts';
export { sha256Hex } from './prepare-events.ts';
export { SqliteJournalStore } from './sqlite/sqlite-journal-store.ts';
export { migrateSqlite, type SqliteMigration, sqliteMigrations } from './sqlite/sqlite-migrations.ts';
