export * from './claim.ts';
export * from './evidence.ts';
export * from './file-edit-schema.ts';
export * from './parse-protocol-message.ts';
export * from './protocol-message.ts';
export * from './protocol-version.ts';
export * from './risk.ts';
export * from './rubric.ts';
