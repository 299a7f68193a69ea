import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteJournalStore } from '@orchestrator/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withConsole } from './console-static.ts';
import { createApiApp } from './create-api-app.ts';

const token = 'test-token-0123456789abcdefghijklmnopqrstuv';
let store: SqliteJournalStore;
let distDir: string;

beforeEach(() => {
  store = SqliteJournalStore.open(':memory:');
  distDir = join(mkdtempSync(join(tmpdir(), 'console-dist-')), 'dist');
  mkdirSync(distDir);
});
afterEach(async () => {
  await store.close();
});

function built(): void {
  mkdirSync(join(distDir, 'assets'));
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(distDir, 'assets/app.js'), 'console.log(1);');
}

describe('the console beside the API', () => {
  it('serves the console without a token and keeps the API behind it', async () => {
    built();
    const app = withConsole(createApiApp({ store, token }), { distDir });
    const page = await app.request('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('id="root"');
    const script = await app.request('/assets/app.js');
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await app.request('/api/runs')).status).toBe(401);
    const runs = await app.request('/api/runs', { headers: { authorization: `Bearer ${token}` } });
    expect(await runs.json()).toEqual({ runs: [] });
  });

  it('answers deep links with the console, and unknown API routes with the API error', async () => {
    built();
    const app = withConsole(createApiApp({ store, token }), { distDir });
    expect(await (await app.request('/runs/r-1')).text()).toContain('id="root"');
    const missing = await app.request('/api/nothing', { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'api-route-not-found' } });
  });

  it('never serves files outside the build', async () => {
    built();
    writeFileSync(join(distDir, '..', 'secret.txt'), 'secret');
    const app = withConsole(createApiApp({ store, token }), { distDir });
    const escaped = await app.request('/../secret.txt');
    expect(await escaped.text()).not.toContain('secret');
    const encoded = await app.request('/%2e%2e/secret.txt');
    expect(await encoded.text()).not.toContain('secret');
  });

  it('says how to build the console when it is not built', async () => {
    const app = withConsole(createApiApp({ store, token }), { distDir });
    const page = await app.request('/');
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build:console');
  });
});
