export * from './journal-event.ts';
export * from './journal-store.ts';
