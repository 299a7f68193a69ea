export * from './parse-scripted-prompt.ts';
export * from './scripted-model.ts';
export * from './scripted-tasks.ts';
export * from './taint-reviewer.ts';
