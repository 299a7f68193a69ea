import type { TestRunResult } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { classifyRedRun } from './classify-red-run.ts';
import { describeTestRun } from './describe-test-run.ts';

function run(stdout: string, overrides: Partial<TestRunResult> = {}): TestRunResult {
  return {
    specificationVersion: 'v1',
    command: 'go test ./...',
    cwd: '/work',
    sandbox: 'bubblewrap',
    exitCode: 1,
    signal: null,
    timedOut: false,
    killed: null,
    processLimitHit: false,
    durationMs: 1,
    stdout: { text: stdout, bytes: stdout.length, truncated: false },
    stderr: { text: '', bytes: 0, truncated: false },
    summary: null,
    limits: {
      wallTimeMs: 1000,
      memory: { bytes: 1, mechanism: 'cgroup' },
      processes: { max: 1, mechanism: 'cgroup' },
      outputBytes: 1,
    },
    warnings: [],
    ...overrides,
  };
}

const target = { targetFile: 'internal/text/words.go', functionName: 'Words' };

describe('classifyRedRun for go test', () => {
  it('accepts a failing assertion', () => {
    const output =
      '--- FAIL: TestWordsAcceptance (0.00s)\n    words_acceptance_test.go:8: Words("a b") = [a b], want [a b c]\nFAIL\nFAIL\texample.com/x/internal/text\t0.002s\n';
    expect(classifyRedRun(run(output), 'go-test', target)).toMatchObject({ kind: 'assertion', expectedReason: true });
  });

  it('accepts the function under test being undefined, but not another symbol', () => {
    const missingTarget =
      '# example.com/x/internal/text [example.com/x/internal/text.test]\ninternal/text/words_acceptance_test.go:6:12: undefined: Words\nFAIL\texample.com/x/internal/text [build failed]\n';
    expect(classifyRedRun(run(missingTarget), 'go-test', target)).toMatchObject({
      kind: 'missing-target',
      expectedReason: true,
    });
    const otherSymbol = missingTarget.replace('undefined: Words', 'undefined: strings.Fieldz');
    expect(classifyRedRun(run(otherSymbol), 'go-test', target)).toMatchObject({
      kind: 'compile-error',
      expectedReason: false,
    });
  });

  it('rejects syntax errors and unrelated missing packages', () => {
    expect(
      classifyRedRun(run('words_test.go:3:1: syntax error: non-declaration statement'), 'go-test', target).kind,
    ).toBe('syntax-error');
    expect(
      classifyRedRun(
        run('words_test.go:4:2: no required module provides package github.com/acme/missing'),
        'go-test',
        target,
      ),
    ).toMatchObject({ kind: 'missing-module', expectedReason: false });
  });
});

describe('classifyRedRun, whatever the framework', () => {
  it('a run the sandbox killed is never a valid red', () => {
    const killed = run('', { exitCode: null, killed: 'timeout', timedOut: true, warnings: ['Killed after 500 ms'] });
    const verdict = classifyRedRun(killed, 'node-test');
    expect(verdict).toMatchObject({ kind: 'killed', expectedReason: false });
    expect(describeTestRun({ ...killed, signal: 'SIGKILL' }, 'red', verdict)).toMatchObject({
      exitCode: 137,
      summary: 'failed (no counts parsed); killed: timeout; invalid red: killed; Killed after 500 ms',
    });
  });

  it('a passing run is never a valid red', () => {
    expect(classifyRedRun(run('ok  \texample.com/x\t0.01s', { exitCode: 0 }), 'go-test')).toMatchObject({
      kind: 'passed',
      expectedReason: false,
    });
  });

  it('an unrecognised failure is reported as unknown with the last lines as evidence', () => {
    const verdict = classifyRedRun(run('make: *** [Makefile:3: test] Error 2\n'), 'make');
    expect(verdict).toMatchObject({ kind: 'unknown', expectedReason: false });
    expect(verdict.evidence).toContain('Error 2');
  });
});
