export * from './file-edit.ts';
export * from './workspace-port.ts';
