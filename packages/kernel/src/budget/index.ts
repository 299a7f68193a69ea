export * from './capped-budget-ledger.ts';
export * from './format-spend-report.ts';
export * from './response-cache.ts';
export * from './response-cache-key.ts';
export * from './role-budget-shares.ts';
export * from './spend-report.ts';
