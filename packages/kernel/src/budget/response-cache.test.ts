import type { CachedResponse, ModelRequest, ModelResponse, ModelUsage, ResponseCacheStore } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from './response-cache.ts';

/** A map-backed store: the SQLite and PostgreSQL ones are tested in packages/store. */
class MapResponseCacheStore implements ResponseCacheStore {
  readonly specificationVersion = 'v1' as const;
  readonly entries = new Map<string, CachedResponse>();
  async get(key: string): Promise<CachedResponse | undefined> {
    return this.entries.get(key);
  }
  async put(key: string, response: string, usage: ModelUsage): Promise<void> {
    if (!this.entries.has(key)) this.entries.set(key, { key, response, usage, createdAt: 'now', hits: 0 });
  }
  async close(): Promise<void> {}
}

const request: ModelRequest = {
  system: [{ text: 'You are the Critic.' }],
  messages: [{ role: 'user', content: 'Review this diff.' }],
  maxOutputTokens: 2048,
};
const usage = { inputTokens: 900, outputTokens: 120, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
const response: ModelResponse = {
  text: '{"verdict":"accept"}',
  finishReason: 'stop',
  usage,
  modelId: 'gpt-4o-2024-08-06',
};

describe('ResponseCache', () => {
  it('serves a stored reply to the identical request only, with the usage it saved', async () => {
    const cache = new ResponseCache(new MapResponseCacheStore(), { enabled: true });
    expect(await cache.lookup('openai', 'gpt-4o', request)).toBeUndefined();
    await cache.save('openai', 'gpt-4o', request, response);
    const hit = await cache.lookup('openai', 'gpt-4o', request);
    expect(hit?.response).toEqual(response);
    expect(hit?.savedUsage).toEqual(usage);
    expect(await cache.lookup('openai', 'gpt-4o-mini', request)).toBeUndefined();
    expect(await cache.lookup('openai', 'gpt-4o', { ...request, maxOutputTokens: 1024 })).toBeUndefined();
  });

  it('stores nothing the output cap cut short, and neither serves nor stores when disabled (--no-cache)', async () => {
    const store = new MapResponseCacheStore();
    await new ResponseCache(store, { enabled: true }).save('openai', 'gpt-4o', request, {
      ...response,
      finishReason: 'length',
    });
    expect(store.entries.size).toBe(0);
    const disabled = new ResponseCache(store, { enabled: false });
    await disabled.save('openai', 'gpt-4o', request, response);
    expect(store.entries.size).toBe(0);
    await new ResponseCache(store, { enabled: true }).save('openai', 'gpt-4o', request, response);
    expect(await disabled.lookup('openai', 'gpt-4o', request)).toBeUndefined();
  });
});
