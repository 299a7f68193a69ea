import { describe, expect, it } from 'vitest';
import { outputTail, outputTailCharacters, outputTailLines, outputTailWanted } from './output-tail.ts';

describe('outputTail', () => {
  it('keeps the last lines of stdout then stderr, and says how many went', () => {
    const stdout = Array.from({ length: 50 }, (_, index) => `line ${index + 1}`).join('\n');
    const tail = outputTail(stdout, 'AssertionError: expected 1 to be 2\n');
    const lines = tail.split('\n');
    expect(lines[0]).toBe('[… 21 earlier line(s) …]');
    expect(lines).toHaveLength(outputTailLines + 1);
    expect(lines.at(-1)).toBe('AssertionError: expected 1 to be 2');
    expect(lines.at(-2)).toBe('line 50');
  });

  it('strips escape sequences and control characters, keeps tabs and newlines', () => {
    const tail = outputTail('\u001b[31mFAIL\u001b[0m\tgreet\r\n\u001b]0;title\u0007bell\u0007 \u0000nul\u009b', '');
    expect(tail).toBe('FAIL\tgreet\nbell nul');
    const control = (code: number) => (code < 0x20 && code !== 9 && code !== 10) || (code >= 0x7f && code <= 0x9f);
    expect([...tail].filter((character) => control(character.charCodeAt(0)))).toEqual([]);
  });

  it('bounds long lines in characters', () => {
    const tail = outputTail('x'.repeat(50_000), '');
    expect(tail.length).toBeLessThanOrEqual(outputTailCharacters + 1);
  });

  it('is wanted for a failing run or one whose counts were not parsed, not for a parsed pass', () => {
    expect(outputTailWanted(1, true)).toBe(true);
    expect(outputTailWanted(0, false)).toBe(true);
    expect(outputTailWanted(null, true)).toBe(true);
    expect(outputTailWanted(0, true)).toBe(false);
  });
});
