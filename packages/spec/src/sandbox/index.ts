export * from './acceptance-spec.ts';
export * from './red-run-classification.ts';
export * from './sandbox-port.ts';
export * from './test-command-detection.ts';
export * from './test-framework.ts';
export * from './test-run-result.ts';
export * from './test-tools.ts';
