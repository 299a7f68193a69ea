import { describe, expect, it } from 'vitest';
import { branchSlug } from '../src/git-workspace-provider.ts';

describe('branchSlug', () => {
  it('keeps the words of a task, kebab-cased and at most 48 characters', () => {
    expect(branchSlug('Add a README section — café & OAuth2 login')).toBe('add-a-readme-section-cafe-oauth2-login');
    expect(branchSlug('x'.repeat(60))).toBe('x'.repeat(48));
    expect(branchSlug('!!!')).toBe('task');
  });

  it('drops credential-shaped words, so a key in an unredacted task never becomes a pushed branch name', () => {
    const keyId = ['AKIA', 'Q3EGRTWJ5ZPLM7XK'].join('');
    const token = ['ghp_', 'R8xVq2LmN5tY7wK3pZ9bC4dF6gH1jS0aE2uI'].join('');
    const slug = branchSlug(`use ${keyId} and ${token} to deploy`);
    expect(slug).toBe('use-and-ghp-to-deploy');
    expect(slug).not.toContain(keyId.toLowerCase());
    // A redacted fingerprint stays readable: its 12-digit hash is too short to look like a key.
    expect(branchSlug('use [REDACTED AKIA…sha256:ca8e531e640a] to deploy')).toBe(
      'use-redacted-akia-sha256-ca8e531e640a-to-deploy',
    );
  });
});
