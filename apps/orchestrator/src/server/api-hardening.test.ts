import { InMemoryJournalStore } from '@orchestrator/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiAppOptions } from './api-app-options.ts';
import { ApiRequestError } from './api-errors.ts';
import { createApiApp } from './create-api-app.ts';
import { allowedHostNames, hostNameOf, isLoopbackHostName } from './host-allow-list.ts';
import { StreamSlots } from './stream-slots.ts';

const token = 'test-token-0123456789abcdefghijklmnopqrstuv';
let store: InMemoryJournalStore;

beforeEach(async () => {
  store = new InMemoryJournalStore();
  await store.createRun('r-1', {});
  await store.append('r-1', [{ type: 'run-start', data: { task: 't' } }]);
});

function app(options: Partial<ApiAppOptions> = {}) {
  return createApiApp({ store, token, pollIntervalMs: 5, ...options });
}

const authorized = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

describe('Host allow-list (DNS rebinding)', () => {
  it('parses Host headers and knows the loopback names', () => {
    expect(hostNameOf('[::1]:7410')).toBe('::1');
    expect(hostNameOf('API.Example.:80')).toBe('api.example');
    expect(hostNameOf('bad host')).toBeUndefined();
    expect(['localhost', '127.0.0.1', '127.8.9.10', '::1'].every(isLoopbackHostName)).toBe(true);
    expect(['localhost.evil', '127.0.0.1.evil', '10.0.0.1'].some(isLoopbackHostName)).toBe(false);
    expect(allowedHostNames('0.0.0.0', ['Orchestrator.LAN'])).toEqual(['orchestrator.lan']);
    expect(allowedHostNames('::', [])).toEqual([]);
    expect(allowedHostNames('192.168.1.5')).toEqual(['192.168.1.5']);
  });

  it('answers 421 to a request for another host, before authentication, and serves loopback and allowed names', async () => {
    const api = app({ allowedHosts: ['orchestrator.lan'] });
    for (const url of ['http://attacker.example/api/runs', 'http://127.0.0.1.attacker.example:7410/api/runs']) {
      const refused = await api.request(url, { headers: authorized });
      expect(refused.status, url).toBe(421);
      expect(await refused.json()).toMatchObject({ error: { code: 'api-host-not-allowed' } });
      expect((await api.request(url)).status, `${url} without a token`).toBe(421);
    }
    const rebound = await api.request('http://127.0.0.1:7410/api/runs', {
      headers: { ...authorized, host: 'attacker.example:7410' },
    });
    expect(rebound.status).toBe(421);
    for (const url of [
      'http://127.0.0.1:7410',
      'http://localhost:7410',
      'http://[::1]:7410',
      'http://orchestrator.lan',
    ]) {
      expect((await api.request(`${url}/api/runs`, { headers: authorized })).status, url).toBe(200);
    }
  });
});

describe('request body limit', () => {
  it('answers 413 with a JSON error to an authenticated body over the limit and reads a body under it', async () => {
    const api = app({ maxBodyBytes: 200 });
    const path = '/api/runs/r-1/instruction';
    const tooLarge = await api.request(path, {
      method: 'POST',
      headers: authorized,
      body: JSON.stringify({ instruction: 'x'.repeat(300) }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: { code: 'api-body-too-large' } });
    expect((await store.read('r-1')).map((event) => event.type)).toEqual(['run-start']);
    const small = await api.request(path, { method: 'POST', headers: authorized, body: '{"instruction":"be brief"}' });
    expect(small.status).toBe(200);
    // Unauthenticated: refused before the body is looked at.
    const anonymous = await api.request(path, { method: 'POST', body: 'x'.repeat(300) });
    expect(anonymous.status).toBe(401);
  });

  it('has a default limit of 1 MiB', async () => {
    const response = await app().request('/api/runs/r-1/instruction', {
      method: 'POST',
      headers: authorized,
      body: JSON.stringify({ instruction: 'x'.repeat(1024 * 1024) }),
    });
    expect(response.status).toBe(413);
  });
});

describe('concurrent event streams', () => {
  it('StreamSlots grants up to the cap, refuses beyond it with 429, and frees a slot once', () => {
    const slots = new StreamSlots(2);
    const first = slots.acquire();
    slots.acquire();
    const refused = (() => {
      try {
        slots.acquire();
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(ApiRequestError);
    expect(refused).toMatchObject({ status: 429, body: { error: { code: 'api-too-many-streams' } } });
    first();
    first();
    expect(slots.open).toBe(1);
    expect(() => slots.acquire()).not.toThrow();
    expect(() => slots.acquire()).toThrow(ApiRequestError);
  });

  it('answers 429 to a stream beyond the cap while the others are open, and 200 once one ends', async () => {
    const api = app({ maxStreams: 1 });
    const open = () => api.request('/api/runs/r-1/stream', { headers: authorized });
    const first = await open();
    expect(first.status).toBe(200);
    const reader = first.body!.getReader();
    await reader.read();
    const second = await open();
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ error: { code: 'api-too-many-streams' } });
    // The run ends: the stream sends stream-end but stays open; the client then leaves.
    await store.append('r-1', [{ type: 'run-end', data: { status: 'converged' } }]);
    await reader.cancel();
    let third = await open();
    while (third.status === 429) third = await open();
    expect(third.status).toBe(200);
    await third.body?.cancel();
  });
});

describe('error responses', () => {
  it('pass the redactor: a secret in a path parameter is not echoed back', async () => {
    const redactor = async (text: string) => ({
      text: text.replaceAll('sk-live-secret', '[REDACTED]'),
      found: text.includes('sk-live-secret'),
    });
    const response = await app({ redactor }).request('/api/runs/sk-live-secret', { headers: authorized });
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).not.toContain('sk-live-secret');
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'run-not-found', message: 'There is no run [REDACTED].' },
    });
  });
});
