export * from './in-memory/index.ts';
export * from './replay-server/index.ts';
export * from './scripted-model/index.ts';
