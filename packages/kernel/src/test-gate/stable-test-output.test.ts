import { describe, expect, it } from 'vitest';
import { stableTestOutput } from './stable-test-output.ts';

describe('stableTestOutput', () => {
  it('gives the same text for two runs of the same tests that differ only in timings', () => {
    const first = '✔ greet names the person (0.431694ms)\nℹ tests 2\nℹ duration_ms 90.98988\n Start at 06:41:08\n';
    const second = '✔ greet names the person (0.518604ms)\nℹ tests 2\nℹ duration_ms 106.587845\n Start at 07:02:55\n';
    expect(stableTestOutput(first)).toBe(stableTestOutput(second));
  });

  it('also for TAP output (node --test through npm)', () => {
    const tap = (duration: string) =>
      `ok 1 - greet names the person\n  ---\n  duration_ms: ${duration}\n  ...\n# pass 1\n`;
    expect(stableTestOutput(tap('0.792893'))).toBe(stableTestOutput(tap('12.5')));
    expect(stableTestOutput(tap('0.792893'))).toContain('# pass 1');
  });

  it('keeps counts, names and failure details', () => {
    const output = '✖ greet handles 2 names (1.2ms)\n  expected 2 to equal 3\nℹ pass 1\nℹ fail 1\n';
    expect(stableTestOutput(output)).toBe('✖ greet handles 2 names (…)\n  expected 2 to equal 3\nℹ pass 1\nℹ fail 1\n');
  });
});
