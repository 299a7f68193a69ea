import Anthropic from '@anthropic-ai/sdk';
import type { ModelPort, ModelRequest, ModelResponse, ModelStreamPart, TokenCount } from '@orchestrator/spec';
import { classifyProviderError, streamCutError } from '../errors/classify-provider-error.ts';
import { estimateTokens } from '../tokens/estimate-tokens.ts';
import { fromAnthropicMessage, toAnthropicCountParams, toAnthropicParams } from './anthropic-translate.ts';

export interface AnthropicModelOptions {
  /** Model id, e.g. `claude-sonnet-4-6`. */
  model: string;
  /** The API key (ANTHROPIC_API_KEY). Never logged. */
  apiKey: string;
  /** API base URL; defaults to the SDK's (ANTHROPIC_BASE_URL or api.anthropic.com). */
  baseUrl?: string;
  /** Retries done by the SDK (408/409/429/5xx, `retry-after` honoured). No other retry loop exists. */
  maxRetries: number;
  /** Per-request timeout, in seconds. */
  timeoutSeconds: number;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}

const provider = 'anthropic';

/** The Model port on the Anthropic Messages API. */
export function createAnthropicModel(options: AnthropicModelOptions): ModelPort {
  const client = new Anthropic({
    apiKey: options.apiKey,
    maxRetries: options.maxRetries,
    timeout: options.timeoutSeconds * 1000,
    ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const classify = (error: unknown, streamStarted = false) =>
    classifyProviderError(error, {
      provider,
      keyVariable: 'ANTHROPIC_API_KEY',
      secrets: [options.apiKey],
      streamStarted,
    });
  const requestOptions = (request: ModelRequest) =>
    request.abortSignal === undefined ? {} : { signal: request.abortSignal };

  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const message = await client.messages.create(
          toAnthropicParams(options.model, request),
          requestOptions(request),
        );
        return fromAnthropicMessage(message, request.output);
      } catch (error) {
        throw classify(error);
      }
    },

    async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
      let started = false;
      let stopped = false;
      const rawToolInputs = new Map<number, string>();
      try {
        const stream = client.messages.stream(toAnthropicParams(options.model, request), requestOptions(request));
        for await (const event of stream) {
          started = true;
          if (event.type === 'message_stop') stopped = true;
          if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
            rawToolInputs.set(event.index, (rawToolInputs.get(event.index) ?? '') + event.delta.partial_json);
          }
          if (
            request.output === undefined &&
            event.type === 'content_block_delta' &&
            event.delta.type === 'text_delta' &&
            event.delta.text !== ''
          ) {
            yield { type: 'text-delta', delta: event.delta.text };
          }
        }
        // The SDK accepts a body that simply ends; a reply is complete only with `message_stop`.
        if (!stopped) throw streamCutError(provider, 'no message_stop event');
        const message = await stream.finalMessage();
        yield { type: 'finish', response: fromAnthropicMessage(message, request.output, rawToolInputs) };
      } catch (error) {
        yield { type: 'error', error: classify(error, started) };
      }
    },

    async countTokens(request: ModelRequest): Promise<TokenCount> {
      try {
        const counted = await client.messages.countTokens(
          toAnthropicCountParams(options.model, request),
          requestOptions(request),
        );
        return { inputTokens: counted.input_tokens, exact: true };
      } catch (error) {
        const classified = classify(error);
        // Counting is advisory (budget reservation): a gateway without the endpoint (404) or a transient failure gets
        // a conservative over-count instead of failing the run. A bad key or an abort still fails.
        if (classified.kind === 'auth' || classified.details.aborted === true) throw classified;
        return { inputTokens: estimateTokens(request), exact: false };
      }
    },
  };
}
