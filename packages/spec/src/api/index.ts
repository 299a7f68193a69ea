export * from './api-requests.ts';
export * from './api-responses.ts';
export * from './run-control-events.ts';
export * from './run-control-state.ts';
