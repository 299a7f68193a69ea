import { describe, expect, it } from 'vitest';
import { parsePullRequestNumber } from './pr.ts';

describe('parsePullRequestNumber', () => {
  it('accepts a number, #number, or the URL of a pull request on either forge', () => {
    expect(parsePullRequestNumber('12')).toBe(12);
    expect(parsePullRequestNumber('#7')).toBe(7);
    expect(parsePullRequestNumber('https://github.com/octo-org/app/pull/31')).toBe(31);
    expect(parsePullRequestNumber('local-forge:sandbox-0123abcd/pull/4')).toBe(4);
  });

  it('refuses anything else with an actionable error', () => {
    for (const raw of ['0', 'abc', '-1', '1.5', 'https://github.com/octo-org/app']) {
      expect(() => parsePullRequestNumber(raw)).toThrow(expect.objectContaining({ code: 'cli-invalid-pull-request' }));
    }
  });
});
