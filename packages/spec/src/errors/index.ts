export * from './orchestrator-error.ts';
export * from './redact.ts';
