import { describe, expect, it } from 'vitest';
import { resolveForgeChoice } from '../src/index.ts';

const base = { dataDir: '/data', sourceRepository: '/repo' };

describe('resolveForgeChoice', () => {
  it('uses the local forge with no configuration', () => {
    expect(resolveForgeChoice({ ...base, settings: { kind: 'local' }, env: {} })).toEqual({
      kind: 'local',
      dataDir: '/data',
      sourceRepository: '/repo',
    });
  });

  it('uses GitHub when GITHUB_TOKEN and GITHUB_REPOSITORY are set, with the API and git URLs of the environment', () => {
    const env = {
      GITHUB_TOKEN: 't',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_API_URL: 'http://127.0.0.1:1',
      GITHUB_GIT_URL: '/srv/r.git',
    };
    expect(resolveForgeChoice({ ...base, settings: { kind: 'local' }, env })).toEqual({
      kind: 'github',
      token: 't',
      repository: 'o/r',
      baseUrl: 'http://127.0.0.1:1',
      gitUrl: '/srv/r.git',
    });
    expect(resolveForgeChoice({ ...base, settings: { kind: 'local' }, env, kind: 'local' }).kind).toBe('local');
  });

  it('asks for a token when GitHub is configured without one', () => {
    expect(() => resolveForgeChoice({ ...base, settings: { kind: 'github', repository: 'o/r' }, env: {} })).toThrow(
      expect.objectContaining({ code: 'forge-github-not-configured' }),
    );
  });
});
