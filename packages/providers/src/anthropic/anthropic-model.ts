import Anthropic from '@anthropic-ai/sdk';
import type { ModelPort, ModelRequest, ModelResponse, ModelStreamPart, TokenCount } from '@orchestrator/spec';
import { boundedCall, type CallRuntime, CallScope, callBoundsOf } from '../bounds/bounded-call.ts';
import type { CallGuard } from '../bounds/call-guard.ts';
import {
  bundledCapabilities,
  type CapabilityTable,
  type ReasoningEffort,
  shapeOptions,
} from '../capabilities/model-capabilities.ts';
import { classifyProviderError, streamCutError } from '../errors/classify-provider-error.ts';
import { estimateTokens } from '../tokens/estimate-tokens.ts';
import { completeReply, type ReplyDraft } from '../usage/settle-usage.ts';
import { AnthropicStreamAccumulator } from './anthropic-stream.ts';
import { fromAnthropicMessage, thinkingFor, toAnthropicCountParams, toAnthropicParams } from './anthropic-translate.ts';

export interface AnthropicModelOptions {
  /** Model id, e.g. `claude-sonnet-4-6`. */
  model: string;
  /** The API key (ANTHROPIC_API_KEY). Never logged. */
  apiKey: string;
  /** API base URL; defaults to the SDK's (ANTHROPIC_BASE_URL or api.anthropic.com). */
  baseUrl?: string;
  /** Retries of transient failures, by the adapter's capped policy (the SDK itself never retries). */
  maxRetries: number;
  /** Total deadline of one call, retries included, in seconds. */
  timeoutSeconds: number;
  /** Longest silence on the wire (first byte, between bytes), in seconds; 300 by default. */
  idleTimeoutSeconds?: number | undefined;
  /** Longest `retry-after` honoured, in seconds; 30 by default. */
  maxRetryAfterSeconds?: number | undefined;
  /** Reasoning effort of the role (mapped to a thinking budget). */
  reasoningEffort?: ReasoningEffort | undefined;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /** Timers, sleep and clock of the call bounds (tests). */
  runtime?: CallRuntime;
  /** The capability table; the bundled one by default. */
  capabilities?: CapabilityTable;
}

const provider = 'anthropic';

/** The Model port on the Anthropic Messages API; every call bounded (deadline, idle limit, capped retries). */
export function createAnthropicModel(options: AnthropicModelOptions): ModelPort {
  const bounds = callBoundsOf(options);
  const capability = (options.capabilities ?? bundledCapabilities()).find(provider, options.model);
  // One client per call: its fetch is the call's guard (idle limit, deadline); the SDK never retries nor sleeps.
  const clientFor = (guard: CallGuard) =>
    new Anthropic({
      apiKey: options.apiKey,
      maxRetries: 0,
      timeout: bounds.totalSeconds * 1000,
      fetch: guard.fetch,
      ...(options.baseUrl === undefined ? {} : { baseURL: options.baseUrl }),
    });
  const classify = (error: unknown, guard?: CallGuard, streamStarted = false) =>
    classifyProviderError(error, {
      provider,
      keyVariable: 'ANTHROPIC_API_KEY',
      secrets: [options.apiKey],
      streamStarted,
      trip: guard?.tripped,
      ...(options.runtime?.now === undefined ? {} : { now: options.runtime.now }),
    });
  const requestOptions = (request: ModelRequest) =>
    request.abortSignal === undefined ? {} : { signal: request.abortSignal };
  const prepare = (request: ModelRequest) => {
    const shaped = shapeOptions(capability, options.model, request, options.reasoningEffort);
    const thinking = thinkingFor(shaped, request);
    const warnings = thinking.warning === undefined ? shaped.warnings : [...shaped.warnings, thinking.warning];
    return { params: toAnthropicParams(options.model, request, shaped), shaped, warnings };
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
      prepared.warnings,
    );
  const scopeOptions = (request: ModelRequest) => ({
    bounds,
    runtime: options.runtime,
    fetch: options.fetch,
    abortSignal: request.abortSignal,
  });
  const bounded = <T>(request: ModelRequest, attempt: (guard: CallGuard) => Promise<T>) =>
    boundedCall({ ...scopeOptions(request), classify: (error, guard) => classify(error, guard), attempt });

  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,

    async generate(request: ModelRequest): Promise<ModelResponse> {
      const prepared = prepare(request);
      const message = await bounded(request, (guard) =>
        clientFor(guard).messages.create(prepared.params, requestOptions(request)),
      );
      return finish(fromAnthropicMessage(message, request.output), request, prepared);
    },

    async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
      const prepared = prepare(request);
      let started = false;
      const scope = new CallScope(scopeOptions(request));
      const accumulator = new AnthropicStreamAccumulator();
      try {
        // Retried (within the bounds) until the stream opens; once it has, a failure ends the call.
        const stream = await scope.run(
          (guard) => clientFor(guard).messages.create({ ...prepared.params, stream: true }, requestOptions(request)),
          (error, guard) => classify(error, guard),
        );
        for await (const event of stream) {
          started = true;
          const delta = accumulator.add(event);
          if (delta !== undefined && request.output === undefined) yield { type: 'text-delta', delta };
        }
        // The SDK accepts a body that simply ends; a reply is complete only with `message_stop`.
        const message = accumulator.result();
        if (!accumulator.complete || message === undefined) throw streamCutError(provider, 'no message_stop event');
        const draft = fromAnthropicMessage(message, request.output, accumulator.rawToolInputs);
        const response = finish(draft, request, {
          ...prepared,
          warnings: [...prepared.warnings, ...accumulator.anomalies],
        });
        yield { type: 'finish', response };
      } catch (error) {
        yield { type: 'error', error: classify(error, scope.guard, started) };
      } finally {
        scope.dispose();
      }
    },

    async countTokens(request: ModelRequest): Promise<TokenCount> {
      try {
        const counted = await bounded(request, (guard) =>
          clientFor(guard).messages.countTokens(
            toAnthropicCountParams(options.model, request),
            requestOptions(request),
          ),
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
