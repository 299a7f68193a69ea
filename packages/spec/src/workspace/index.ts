export * from './file-edit.ts';
export * from './size-limits.ts';
export * from './workspace-port.ts';
export * from './worktree-snapshot.ts';
