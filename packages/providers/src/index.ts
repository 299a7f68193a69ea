export * from './anthropic/anthropic-model.ts';
export * from './create-model.ts';
export * from './errors/classify-provider-error.ts';
export * from './errors/redact-credential-text.ts';
export * from './openai/openai-model.ts';
export * from './pricing/price-table.ts';
export * from './tokens/estimate-tokens.ts';
