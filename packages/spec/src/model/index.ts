export * from './model-call-error.ts';
export * from './model-port.ts';
export * from './model-request.ts';
export * from './model-response.ts';
export * from './model-usage.ts';
