export * from './seeded-verbose-model.ts';
