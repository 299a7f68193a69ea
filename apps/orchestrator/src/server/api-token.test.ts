import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateApiToken } from './api-token.ts';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'api-token-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('loadOrCreateApiToken', () => {
  it('generates a token once, stores it readable by the user only, and returns the same one after', () => {
    const first = loadOrCreateApiToken(join(dataDir, 'nested'));
    expect(first.created).toBe(true);
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const second = loadOrCreateApiToken(join(dataDir, 'nested'));
    expect(second).toEqual({ token: first.token, path: first.path, created: false });
  });

  it('tightens a token file whose permissions were loosened', () => {
    const { path } = loadOrCreateApiToken(dataDir);
    chmodSync(path, 0o644);
    loadOrCreateApiToken(dataDir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a token file that holds no valid token', () => {
    writeFileSync(join(dataDir, 'api-token'), 'short\n', { mode: 0o600 });
    expect(() => loadOrCreateApiToken(dataDir)).toThrow(expect.objectContaining({ code: 'api-token-invalid' }));
  });
});
