export * from './context-events.ts';
export * from './effect-events.ts';
export * from './journal-event-types.ts';
export * from './leftover-events.ts';
export * from './model-call-events.ts';
export * from './run-events.ts';
export * from './step-events.ts';
