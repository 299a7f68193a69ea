import { describe, expect, it } from 'vitest';
import { parseTestSummary } from './parse-test-summary.ts';

describe('parseTestSummary', () => {
  it('reads node:test spec and TAP reporters', () => {
    const spec = '✖ x\n✔ y\nℹ tests 3\nℹ suites 0\nℹ pass 1\nℹ fail 1\nℹ cancelled 0\nℹ skipped 1\nℹ todo 0\n';
    expect(parseTestSummary(spec, 'node-test')).toEqual({
      framework: 'node-test',
      passed: 1,
      failed: 1,
      skipped: 1,
      total: 3,
    });
    const tap = 'TAP version 13\nnot ok 1 - x\n1..2\n# tests 2\n# pass 1\n# fail 1\n# skipped 0\n# todo 0\n';
    expect(parseTestSummary(tap)).toMatchObject({ framework: 'node-test', passed: 1, failed: 1 });
  });

  it('reads vitest and jest summaries', () => {
    const vitest = ' Test Files  1 failed | 1 passed (2)\n      Tests  2 failed | 5 passed | 1 skipped (8)\n';
    expect(parseTestSummary(vitest, 'vitest')).toEqual({
      framework: 'vitest',
      passed: 5,
      failed: 2,
      skipped: 1,
      total: 8,
    });
    const jest = 'Test Suites: 1 failed, 1 total\nTests:       1 failed, 2 passed, 3 total\nSnapshots:   0 total\n';
    expect(parseTestSummary(jest)).toMatchObject({ framework: 'jest', passed: 2, failed: 1, total: 3 });
  });

  it('reads pytest, counting collection errors as failures', () => {
    expect(parseTestSummary('..F\n1 failed, 2 passed in 0.61s\n', 'pytest')).toMatchObject({ passed: 2, failed: 1 });
    expect(parseTestSummary('==== 1 error, 1 skipped in 0.05s ====\n')).toMatchObject({
      framework: 'pytest',
      failed: 1,
      skipped: 1,
    });
  });

  it('sums cargo test targets and counts go test results', () => {
    const cargo =
      'test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out\n' +
      'test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n';
    expect(parseTestSummary(cargo, 'cargo-test')).toEqual({
      framework: 'cargo-test',
      passed: 3,
      failed: 1,
      skipped: 1,
      total: 5,
    });
    const go =
      '=== RUN   TestA\n--- PASS: TestA (0.00s)\n=== RUN   TestB\n--- FAIL: TestB (0.00s)\nFAIL\nFAIL\texample.com/x\t0.01s\n';
    expect(parseTestSummary(go, 'go-test')).toMatchObject({ passed: 1, failed: 1 });
  });

  it('returns null for output no runner wrote', () => {
    expect(parseTestSummary('compiling…\nall good\n')).toBeNull();
  });
});
