import type { ModelRequest } from './model-request.ts';
import type { ModelResponse, ModelStreamPart } from './model-response.ts';

/** Result of counting a request's input tokens before the call. */
export interface TokenCount {
  /** Input tokens the request will be billed for (an over-count when `exact` is false). */
  inputTokens: number;
  /** True when the vendor's own counter was used; false for a conservative estimate. */
  exact: boolean;
}

/**
 * The model port, version 1. Every adapter (Anthropic, OpenAI, scripted, plugins) implements it.
 * Adapters never retry on their own beyond the vendor SDK's built-in retry, and throw `ModelCallError` on failure.
 */
export interface ModelPort {
  /** Version of this contract the adapter implements. */
  readonly specificationVersion: 'v1';
  /** Provider name, e.g. `anthropic`, `openai`, `scripted`. */
  readonly provider: string;
  /** The model id requested, e.g. `claude-sonnet-4-6`. */
  readonly modelId: string;
  /** One call, waiting for the complete reply. */
  generate(request: ModelRequest): Promise<ModelResponse>;
  /** One call, streaming. Ends with exactly one `finish` part, or an `error` part carrying a `ModelCallError`. A cut stream never yields `finish`. */
  stream(request: ModelRequest): AsyncIterable<ModelStreamPart>;
  /** Counts the request's input tokens before the call (exact where the vendor offers a counter). */
  countTokens(request: ModelRequest): Promise<TokenCount>;
}
