import type { ModelRequest } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { cacheableRequestOf, canonicalJson, responseCacheKey } from './response-cache-key.ts';

const request: ModelRequest = {
  system: [{ text: 'You are the Builder.', cacheable: true }],
  messages: [{ role: 'user', content: 'Add a /health endpoint.' }],
  maxOutputTokens: 1024,
  output: { name: 'propose', schema: { type: 'object', properties: { b: {}, a: {} } } },
};

describe('responseCacheKey', () => {
  it('gives equal keys to equal requests whatever the key order, context or abort signal', () => {
    const reordered: ModelRequest = {
      output: { schema: { properties: { a: {}, b: {} }, type: 'object' }, name: 'propose' },
      maxOutputTokens: 1024,
      messages: [{ content: 'Add a /health endpoint.', role: 'user' }],
      system: [{ cacheable: true, text: 'You are the Builder.' }],
      context: { runId: 'r-2', role: 'builder' },
      abortSignal: new AbortController().signal,
    };
    const key = responseCacheKey(cacheableRequestOf('anthropic', 'claude-sonnet-4-5', request));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(responseCacheKey(cacheableRequestOf('anthropic', 'claude-sonnet-4-5', reordered))).toBe(key);
  });

  it('changes with anything the provider sees: model, message text, output cap, temperature, schema', () => {
    const base = responseCacheKey(cacheableRequestOf('anthropic', 'm', request));
    const variants: string[] = [
      responseCacheKey(cacheableRequestOf('anthropic', 'm2', request)),
      responseCacheKey(cacheableRequestOf('openai', 'm', request)),
      responseCacheKey(
        cacheableRequestOf('anthropic', 'm', { ...request, messages: [{ role: 'user', content: 'Add /ready.' }] }),
      ),
      responseCacheKey(cacheableRequestOf('anthropic', 'm', { ...request, maxOutputTokens: 1023 })),
      responseCacheKey(cacheableRequestOf('anthropic', 'm', { ...request, temperature: 0 })),
      responseCacheKey(
        cacheableRequestOf('anthropic', 'm', { ...request, output: { name: 'propose', schema: { type: 'string' } } }),
      ),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('canonical JSON sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2, undefined] } })).toBe('{"a":{"c":[2,null]},"b":1}');
  });
});
