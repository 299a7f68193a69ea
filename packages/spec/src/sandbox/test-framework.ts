/**
 * The test frameworks the sandbox knows how to detect, summarise and write acceptance tests for.
 * `make` and `unknown` run but have no parsed summary beyond the exit code.
 */
export const testFrameworks = [
  'node-test',
  'vitest',
  'jest',
  'pytest',
  'go-test',
  'cargo-test',
  'make',
  'unknown',
] as const;
/** One of `testFrameworks`. */
export type TestFramework = (typeof testFrameworks)[number];
