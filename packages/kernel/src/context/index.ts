export * from './context-packer.ts';
export * from './fit-prompt-input.ts';
export * from './project-memory.ts';
export * from './token-estimate.ts';
export * from './working-memory.ts';
