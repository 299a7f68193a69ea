import { createHash } from 'node:crypto';
import type { CacheableRequest, ModelRequest } from '@orchestrator/spec';

/** The parts of a request that determine its reply (abort signal and caller context are not sent, so not keyed). */
export function cacheableRequestOf(provider: string, model: string, request: ModelRequest): CacheableRequest {
  return {
    provider,
    model,
    system: request.system,
    messages: request.messages,
    output: request.output,
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
  };
}

/** JSON with object keys sorted at every level and `undefined` members dropped: equal requests, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/** The response cache key: sha256 hex of the canonical JSON of the exact request. */
export function responseCacheKey(request: CacheableRequest): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}
