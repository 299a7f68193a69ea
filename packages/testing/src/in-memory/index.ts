export * from './in-memory-journal-store.ts';
export * from './in-memory-workspace.ts';
