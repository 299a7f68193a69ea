import type { ModelPort, ModelRequest, ModelResponse, ModelStreamPart, TokenCount } from '@orchestrator/spec';
import OpenAI from 'openai';
import { boundedCall, type CallRuntime, CallScope, callBoundsOf } from '../bounds/bounded-call.ts';
import type { CallGuard } from '../bounds/call-guard.ts';
import {
  bundledCapabilities,
  type CapabilityTable,
  type ModelCapability,
  type ReasoningEffort,
  shapeOptions,
} from '../capabilities/model-capabilities.ts';
import { classifyProviderError, streamCutError } from '../errors/classify-provider-error.ts';
import { estimateTokens } from '../tokens/estimate-tokens.ts';
import { completeReply, type ReplyDraft } from '../usage/settle-usage.ts';
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
  /** Retries of transient failures, by the adapter's capped policy (the SDK itself never retries). */
  maxRetries: number;
  /** Total deadline of one call, retries included, in seconds. */
  timeoutSeconds: number;
  /** Longest silence on the wire (first byte, between bytes), in seconds; 300 by default. */
  idleTimeoutSeconds?: number | undefined;
  /** Longest `retry-after` honoured, in seconds; 30 by default. */
  maxRetryAfterSeconds?: number | undefined;
  /** Reasoning effort of the role (`reasoning_effort`, for families that take it). */
  reasoningEffort?: ReasoningEffort | undefined;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Timers, sleep and clock of the call bounds (tests). */
  runtime?: CallRuntime;
  /** The capability table; the bundled one by default. */
  capabilities?: CapabilityTable;
}

/** True for api.openai.com (or no override). */
export function isOfficialEndpoint(baseUrl: string | undefined): boolean {
  return baseUrl === undefined || new URL(baseUrl).hostname === 'api.openai.com';
}

/**
 * The capability of a model behind an OpenAI endpoint: a known OpenAI family wherever it is served (Azure and
 * gateways serve GPT-5 too, and it rejects `max_tokens` there as well); an unknown model on another base URL gets the
 * OpenAI-compatible defaults (`max_tokens`, temperature).
 */
export function openAiCapability(table: CapabilityTable, model: string, baseUrl: string | undefined): ModelCapability {
  const known = table.find('openai', model);
  if (known.pattern !== '.*' || isOfficialEndpoint(baseUrl)) return known;
  return table.find('openai-compatible', model);
}

/** The Model port on the Chat Completions API, for OpenAI-compatible servers (and OpenAI when configured so). */
export function createOpenAiModel(options: OpenAiModelOptions): ModelPort {
  const provider = options.provider ?? 'openai';
  const bounds = callBoundsOf(options);
  const official = isOfficialEndpoint(options.baseUrl);
  const capability = openAiCapability(options.capabilities ?? bundledCapabilities(), options.model, options.baseUrl);
  const clientFor = (guard: CallGuard) =>
    new OpenAI({
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: bounds.totalSeconds * 1000,
      fetch: guard.fetch,
      ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
    });
  const classify = (error: unknown, guard?: CallGuard, streamStarted = false) =>
    classifyProviderError(error, {
      provider,
      keyVariable: 'OPENAI_API_KEY',
      secrets: [options.apiKey],
      streamStarted,
      trip: guard?.tripped,
      ...(options.runtime?.now === undefined ? {} : { now: options.runtime.now }),
    });
  const requestOptions = (request: ModelRequest) =>
    request.abortSignal === undefined ? {} : { signal: request.abortSignal };
  const scopeOptions = (request: ModelRequest) => ({
    bounds,
    runtime: options.runtime,
    fetch: options.fetch,
    abortSignal: request.abortSignal,
  });
  const prepare = (request: ModelRequest) => {
    const shaped = shapeOptions(capability, options.model, request, options.reasoningEffort);
    return {
      shaped,
      params: toOpenAiParams(options.model, request, { maxTokensField: capability.chatOutputParam, shaped }),
    };
  };
  const finish = (draft: ReplyDraft, request: ModelRequest, prepared: ReturnType<typeof prepare>) =>
    completeReply(
      draft,
      {
        provider,
        request,
        sentMaxOutputTokens: prepared.shaped.maxOutputTokens,
        contextWindow: capability.contextWindow,
      },
      prepared.shaped.warnings,
    );

  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      const prepared = prepare(request);
      const completion = await boundedCall({
        ...scopeOptions(request),
        classify: (error, guard) => classify(error, guard),
        attempt: (guard) => clientFor(guard).chat.completions.create(prepared.params, requestOptions(request)),
      });
      return finish(fromChatCompletion(completion, request.output), request, prepared);
    },

    async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
      const prepared = prepare(request);
      let started = false;
      const scope = new CallScope(scopeOptions(request));
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
        // Retried (within the bounds) until the stream opens; once it has, a failure ends the call.
        const stream = await scope.run(
          (guard) =>
            clientFor(guard).chat.completions.create(
              { ...prepared.params, stream: true, stream_options: { include_usage: true } },
              requestOptions(request),
            ),
          (error, guard) => classify(error, guard),
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
        // OpenAI always sends the usage chunk it was asked for, after the finish chunk: without it the stream was cut.
        // Compatible servers that ignore `include_usage` are booked at the reservation instead (usage estimated).
        if (parts.usage == null && official) throw streamCutError(provider, 'no usage chunk after finish_reason');
        yield { type: 'finish', response: finish(toModelResponse(parts, request.output), request, prepared) };
      } catch (error) {
        yield { type: 'error', error: classify(error, scope.guard, started) };
      } finally {
        scope.dispose();
      }
    },

    async countTokens(request: ModelRequest): Promise<TokenCount> {
      // Chat Completions has no counting endpoint: count with o200k_base plus a margin (an over-count).
      return { inputTokens: estimateTokens(request), exact: false };
    },
  };
}
