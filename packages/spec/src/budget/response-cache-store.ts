import type { ModelMessage, PromptPart, StructuredOutputRequest } from '../model/model-request.ts';
import type { ModelUsage } from '../model/model-usage.ts';

/** The parts of a model request that determine its reply; the cache key is the sha256 of their canonical JSON. */
export interface CacheableRequest {
  provider: string;
  model: string;
  /** System prompt parts, as sent. */
  system: readonly PromptPart[];
  /** The conversation, as sent. */
  messages: readonly ModelMessage[];
  /** Structured output (name, description, JSON schema), when asked for. */
  output: StructuredOutputRequest | undefined;
  maxOutputTokens: number;
  temperature: number | undefined;
}

/** A cached reply: the response as journaled (JSON text) and the usage the original call paid for. */
export interface CachedResponse {
  /** sha256 hex of the canonical request. */
  key: string;
  /** The response, as JSON text (the same blob the journal stores). */
  response: string;
  /** Usage of the original, paid call (a hit costs nothing; this says what was saved). */
  usage: ModelUsage;
  /** When it was stored (ISO 8601). */
  createdAt: string;
  /** How many times it was served. */
  hits: number;
}

/**
 * The response cache port, version 1: content-addressed by the exact request, shared across runs (same database as
 * the journal). The gateway serves hits at zero cost, journaled as `model-call-end` with `cached: true`.
 */
export interface ResponseCacheStore {
  readonly specificationVersion: 'v1';
  /** The cached reply for a key (counting the hit), or undefined. */
  get(key: string): Promise<CachedResponse | undefined>;
  /** Stores a reply (idempotent: the first reply stored for a key wins). */
  put(key: string, response: string, usage: ModelUsage): Promise<void>;
  close(): Promise<void>;
}
