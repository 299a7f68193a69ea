import type { ModelRequest, ModelResponse, ModelUsage, ResponseCacheStore } from '@orchestrator/spec';
import { cacheableRequestOf, responseCacheKey } from './response-cache-key.ts';

/** A cache hit: the reply to serve at zero cost, and what the original call used (what the hit saved). */
export interface ResponseCacheHit {
  key: string;
  response: ModelResponse;
  /** The response as stored (the JSON text the journal stores as a blob). */
  responseText: string;
  savedUsage: ModelUsage;
}

function parseResponse(text: string): ModelResponse | undefined {
  try {
    const value = JSON.parse(text) as Partial<ModelResponse>;
    return typeof value.text === 'string' && typeof value.finishReason === 'string' && value.usage !== undefined
      ? (value as ModelResponse)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The gateway's view of the response cache: look a request up before reserving budget, store a paid reply after it.
 * Disabled (`--no-cache`, `budget.cache: false`) it neither serves nor stores. Replies cut by the output cap
 * (`finishReason: length`) are not stored: a retry with a higher cap must really call the model.
 */
export class ResponseCache {
  readonly #store: ResponseCacheStore;
  readonly #enabled: boolean;

  constructor(store: ResponseCacheStore, options: { enabled: boolean }) {
    this.#store = store;
    this.#enabled = options.enabled;
  }

  /** The cache key of a request to a provider's model. */
  static keyOf(provider: string, model: string, request: ModelRequest): string {
    return responseCacheKey(cacheableRequestOf(provider, model, request));
  }

  /** The cached reply for this exact request, or undefined (always undefined when disabled). */
  async lookup(provider: string, model: string, request: ModelRequest): Promise<ResponseCacheHit | undefined> {
    if (!this.#enabled) return undefined;
    const key = ResponseCache.keyOf(provider, model, request);
    const cached = await this.#store.get(key);
    if (cached === undefined) return undefined;
    const response = parseResponse(cached.response);
    return response === undefined
      ? undefined
      : { key, response, responseText: cached.response, savedUsage: cached.usage };
  }

  /**
   * Stores a paid reply under the request as asked (before any budget clamp of its output cap), so the next identical
   * request finds it; a reply the cap cut short is not stored.
   */
  async save(provider: string, model: string, request: ModelRequest, response: ModelResponse): Promise<void> {
    if (!this.#enabled || response.finishReason === 'length') return;
    await this.#store.put(ResponseCache.keyOf(provider, model, request), JSON.stringify(response), response.usage);
  }
}
