export * from './context-packer.ts';
export * from './project-memory.ts';
export * from './token-estimate.ts';
export * from './working-memory.ts';
