export * from './config-schema.ts';
export * from './model-price-schema.ts';
