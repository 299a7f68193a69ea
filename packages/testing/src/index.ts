export {};
export * from './replay-server/index.ts';
