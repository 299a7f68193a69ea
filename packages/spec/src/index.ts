export * from './config/index.ts';
export * from './errors/index.ts';
export * from './journal/index.ts';
export * from './model/index.ts';
export * from './workspace/index.ts';
export * from './policy/index.ts';
export * from './retrieval/index.ts';
