export * from './config-schema.ts';
