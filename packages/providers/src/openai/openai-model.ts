import type { ModelPort, ModelRequest, ModelResponse, ModelStreamPart, TokenCount } from '@orchestrator/spec';
import OpenAI from 'openai';
import { classifyProviderError, streamCutError } from '../errors/classify-provider-error.ts';
import { countTextTokens, estimateTokens } from '../tokens/estimate-tokens.ts';
import { fromChatCompletion, type OpenAiReplyParts, toModelResponse, toOpenAiParams } from './openai-translate.ts';

export interface OpenAiModelOptions {
  /** Model id, e.g. `gpt-5`, or whatever an OpenAI-compatible server calls its model. */
  model: string;
  /** The API key (OPENAI_API_KEY); compatible servers without auth accept any placeholder. Never logged. */
  apiKey: string;
  /** API base URL (OPENAI_BASE_URL): Ollama, vLLM, llama.cpp server, OpenRouter, a replay server. */
  baseUrl?: string;
  /** Provider name reported by the port (`openai`, or e.g. `openrouter` for pricing). */
  provider?: string;
  /** Retries done by the SDK (408/409/429/5xx, `retry-after`/`retry-after-ms` honoured). No other retry loop exists. */
  maxRetries: number;
  /** Per-request timeout, in seconds. */
  timeoutSeconds: number;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
}

/** True for api.openai.com (or no override); such endpoints get `max_completion_tokens`. */
function isOfficialEndpoint(baseUrl: string | undefined): boolean {
  return baseUrl === undefined || new URL(baseUrl).hostname === 'api.openai.com';
}

/** The Model port on the Chat Completions API, for OpenAI and any OpenAI-compatible server. */
export function createOpenAiModel(options: OpenAiModelOptions): ModelPort {
  const provider = options.provider ?? 'openai';
  const client = new OpenAI({
    apiKey: options.apiKey,
    maxRetries: options.maxRetries,
    timeout: options.timeoutSeconds * 1000,
    ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const paramsOptions = {
    maxTokensField: isOfficialEndpoint(options.baseUrl) ? ('max_completion_tokens' as const) : ('max_tokens' as const),
  };
  const classify = (error: unknown, streamStarted = false) =>
    classifyProviderError(error, { provider, keyVariable: 'OPENAI_API_KEY', secrets: [options.apiKey], streamStarted });
  const requestOptions = (request: ModelRequest) =>
    request.abortSignal === undefined ? {} : { signal: request.abortSignal };

  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const completion = await client.chat.completions.create(
          toOpenAiParams(options.model, request, paramsOptions),
          requestOptions(request),
        );
        return fromChatCompletion(completion, request.output);
      } catch (error) {
        throw classify(error);
      }
    },

    async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
      let started = false;
      const parts: OpenAiReplyParts = {
        text: '',
        refusal: null,
        toolCalls: [],
        finishReason: null,
        usage: undefined,
        model: options.model,
        id: '',
      };
      try {
        const stream = await client.chat.completions.create(
          {
            ...toOpenAiParams(options.model, request, paramsOptions),
            stream: true,
            stream_options: { include_usage: true },
          },
          requestOptions(request),
        );
        for await (const chunk of stream) {
          started = true;
          if (chunk.model) parts.model = chunk.model;
          if (chunk.id) parts.id = chunk.id;
          if (chunk.usage) parts.usage = chunk.usage;
          const choice = chunk.choices.find((candidate) => candidate.index === 0);
          if (choice === undefined) continue;
          const delta = choice.delta;
          if (typeof delta?.content === 'string' && delta.content !== '') {
            parts.text += delta.content;
            if (request.output === undefined) yield { type: 'text-delta', delta: delta.content };
          }
          if (typeof delta?.refusal === 'string') parts.refusal = (parts.refusal ?? '') + delta.refusal;
          for (const call of delta?.tool_calls ?? []) {
            const slot = parts.toolCalls[call.index] ?? { id: '', name: '', arguments: '' };
            parts.toolCalls[call.index] = slot;
            if (call.id) slot.id = call.id;
            if (call.function?.name) slot.name += call.function.name;
            if (call.function?.arguments) slot.arguments += call.function.arguments;
          }
          if (choice.finish_reason) parts.finishReason = choice.finish_reason;
        }
        // The SDK accepts a body that simply ends; a reply is complete only with a finish reason.
        if (parts.finishReason === null) throw streamCutError(provider, 'no finish_reason');
        // Servers that ignore `include_usage` get a conservative count rather than a free call.
        if (parts.usage == null) {
          parts.usage = {
            prompt_tokens: estimateTokens(request),
            completion_tokens: countTextTokens(parts.text) + parts.toolCalls.length * 8,
            total_tokens: 0,
          };
        }
        yield { type: 'finish', response: toModelResponse(parts, request.output) };
      } catch (error) {
        yield { type: 'error', error: classify(error, started) };
      }
    },

    async countTokens(request: ModelRequest): Promise<TokenCount> {
      // Chat Completions has no counting endpoint: count with o200k_base plus a margin (an over-count).
      return { inputTokens: estimateTokens(request), exact: false };
    },
  };
}
