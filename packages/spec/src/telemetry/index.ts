export * from './error-catalog.ts';
export * from './run-timeline.ts';
export * from './span.ts';
export * from './spend-report.ts';
export * from './token-totals.ts';
