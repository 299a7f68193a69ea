import type { ModelPort, ModelRequest, ModelResponse, ModelStreamPart, TokenCount } from '@orchestrator/spec';
import OpenAI from 'openai';
import type { Response } from 'openai/resources/responses/responses';
import { boundedCall, CallScope, callBoundsOf } from '../bounds/bounded-call.ts';
import type { CallGuard } from '../bounds/call-guard.ts';
import { bundledCapabilities, shapeOptions } from '../capabilities/model-capabilities.ts';
import { classifyProviderError, streamCutError } from '../errors/classify-provider-error.ts';
import { estimateTokens } from '../tokens/estimate-tokens.ts';
import { completeReply } from '../usage/settle-usage.ts';
import { type OpenAiModelOptions, openAiCapability } from './openai-model.ts';
import { ReasoningCarry } from './reasoning-carry.ts';
import { fromResponse, outputParts, toResponsesParams } from './responses-translate.ts';

/** A `response.failed` or `error` stream event, in the shape the classifier reads from SDK errors. */
function streamFailure(error: { code?: string | null; message?: string | null } | null | undefined) {
  const code = error?.code ?? 'server_error';
  const message = error?.message ?? 'The response failed.';
  return { message, error: { code, type: code, message } };
}

/**
 * The Model port on OpenAI's Responses API (`client.responses`), the default for OpenAI models: structured output as a
 * `json_schema` text format, reasoning effort, `prompt_cache_key`, `store: false` with the reasoning items (encrypted)
 * carried across the calls of a step, usage with reasoning and cached tokens. Every call is bounded like the others.
 */
export function createOpenAiResponsesModel(options: OpenAiModelOptions): ModelPort {
  const provider = options.provider ?? 'openai';
  const bounds = callBoundsOf(options);
  const capability = openAiCapability(options.capabilities ?? bundledCapabilities(), options.model, options.baseUrl);
  const carry = new ReasoningCarry();
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
    const params = toResponsesParams(options.model, request, {
      shaped,
      reasoningModel: capability.reasoning === 'openai-effort',
      carried: carry.forStep(request.context?.stepId),
    });
    return { shaped, params };
  };
  const finish = (response: Response, request: ModelRequest, prepared: ReturnType<typeof prepare>): ModelResponse => {
    const draft = fromResponse(response, request.output);
    carry.remember(request.context?.stepId, draft.text, outputParts(response).reasoning);
    return completeReply(
      draft,
      {
        provider,
        request,
        sentMaxOutputTokens: prepared.shaped.maxOutputTokens,
        contextWindow: capability.contextWindow,
      },
      prepared.shaped.warnings,
    );
  };

  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      const prepared = prepare(request);
      const response = await boundedCall({
        ...scopeOptions(request),
        classify: (error, guard) => classify(error, guard),
        attempt: (guard) => clientFor(guard).responses.create(prepared.params, requestOptions(request)),
      });
      if (response.status === 'failed') throw classify(streamFailure(response.error));
      return finish(response, request, prepared);
    },

    async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
      const prepared = prepare(request);
      let started = false;
      const scope = new CallScope(scopeOptions(request));
      try {
        // Retried (within the bounds) until the stream opens; once it has, a failure ends the call.
        const stream = await scope.run(
          (guard) => clientFor(guard).responses.create({ ...prepared.params, stream: true }, requestOptions(request)),
          (error, guard) => classify(error, guard),
        );
        let final: Response | undefined;
        for await (const event of stream) {
          started = true;
          if (event.type === 'response.output_text.delta' && event.delta !== '' && request.output === undefined) {
            yield { type: 'text-delta', delta: event.delta };
          } else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
            final = event.response;
          } else if (event.type === 'response.failed') {
            throw classify(streamFailure(event.response.error));
          } else if (event.type === 'error') {
            throw classify(streamFailure(event));
          }
        }
        // A reply is complete only with its closing event, which also carries the usage.
        if (final === undefined) throw streamCutError(provider, 'no response.completed event');
        yield { type: 'finish', response: finish(final, request, prepared) };
      } catch (error) {
        yield { type: 'error', error: classify(error, scope.guard, started) };
      } finally {
        scope.dispose();
      }
    },

    async countTokens(request: ModelRequest): Promise<TokenCount> {
      // Counted locally with o200k_base plus a margin (an over-count); no request is spent on it.
      return { inputTokens: estimateTokens(request), exact: false };
    },
  };
}
