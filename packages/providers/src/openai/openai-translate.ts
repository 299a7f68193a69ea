import type { FinishReason, ModelRequest, ModelToolCall, StructuredOutputRequest } from '@orchestrator/spec';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import type { ShapedOptions } from '../capabilities/model-capabilities.ts';
import type { ReplyDraft, ReportedUsage } from '../usage/settle-usage.ts';

export interface OpenAiParamsOptions {
  /** `max_completion_tokens` (OpenAI, required by reasoning models) or `max_tokens` (older OpenAI-compatible servers). */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** The options as the model family takes them (capability table); the request's own when omitted. */
  shaped?: ShapedOptions;
}

/** The provider-neutral request as Chat Completions parameters (non-streaming; streaming adds `stream`). */
export function toOpenAiParams(
  model: string,
  request: ModelRequest,
  options: OpenAiParamsOptions,
): ChatCompletionCreateParamsNonStreaming {
  // OpenAI caches the longest stable prefix automatically; keeping system parts first and in order is what helps it.
  const system = request.system
    .map((part) => part.text)
    .filter((text) => text !== '')
    .join('\n\n');
  const messages: ChatCompletionMessageParam[] = [
    ...(system === '' ? [] : [{ role: 'system' as const, content: system }]),
    ...request.messages.map((message) => ({ role: message.role, content: message.content })),
  ];
  const maxOutputTokens = options.shaped?.maxOutputTokens ?? request.maxOutputTokens;
  const temperature = options.shaped === undefined ? request.temperature : options.shaped.temperature;
  const effort = options.shaped?.effort;
  return {
    model,
    messages,
    [options.maxTokensField]: maxOutputTokens,
    ...(temperature === undefined ? {} : { temperature }),
    ...(effort === undefined ? {} : { reasoning_effort: effort }),
    ...(request.output === undefined ? {} : { response_format: toResponseFormat(request.output) }),
  };
}

function toResponseFormat(output: StructuredOutputRequest): ResponseFormatJSONSchema {
  return {
    type: 'json_schema',
    json_schema: {
      name: output.name,
      ...(output.description === undefined ? {} : { description: output.description }),
      schema: output.schema,
      // Strict mode demands every property required and no additional properties; our schemas do not promise that.
      strict: false,
    },
  };
}

/**
 * Usage as the provider reported it: OpenAI's `prompt_tokens` includes cached tokens, which are billed separately.
 * A counter the reply lacks stays undefined (no usage at all: undefined), for `settleUsage` to book conservatively.
 */
export function fromOpenAiUsage(usage: CompletionUsage | null | undefined): ReportedUsage | undefined {
  if (usage == null) return undefined;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const prompt = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : undefined;
  return {
    inputTokens: prompt === undefined ? undefined : Math.max(0, prompt - cached),
    outputTokens: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : undefined,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function finishReasonOf(reason: string | null | undefined, refused: boolean): FinishReason {
  if (refused) return 'refusal';
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Parses the reply text as the structured object; undefined when it is not JSON (the kernel repairs or fails). */
export function parseStructured(text: string, output: StructuredOutputRequest | undefined): unknown {
  if (output === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The accumulated pieces of a reply, shared by the complete and the streamed paths. */
export interface OpenAiReplyParts {
  text: string;
  refusal: string | null;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: string | null;
  usage: CompletionUsage | null | undefined;
  model: string;
  id: string;
}

export function toModelResponse(parts: OpenAiReplyParts, output: StructuredOutputRequest | undefined): ReplyDraft {
  const toolCalls: ModelToolCall[] = parts.toolCalls.map((call) => ({
    id: call.id,
    name: call.name,
    input: parseArguments(call.arguments),
  }));
  // A reply cut by the token cap carries no object, even if the cut text happens to parse.
  const object = parts.finishReason === 'length' ? undefined : parseStructured(parts.text, output);
  return {
    text: parts.text,
    ...(object === undefined ? {} : { object }),
    ...(toolCalls.length === 0 ? {} : { toolCalls }),
    finishReason: finishReasonOf(parts.finishReason, parts.refusal !== null && parts.refusal !== ''),
    reported: fromOpenAiUsage(parts.usage),
    modelId: parts.model,
    providerRequestId: parts.id,
  };
}

/** A complete Chat Completions reply as a port response (first choice). */
export function fromChatCompletion(
  completion: ChatCompletion,
  output: StructuredOutputRequest | undefined,
): ReplyDraft {
  const choice = completion.choices[0];
  const message = choice?.message;
  return toModelResponse(
    {
      text: message?.content ?? '',
      refusal: message?.refusal ?? null,
      toolCalls: (message?.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
      ),
      finishReason: choice?.finish_reason ?? null,
      usage: completion.usage,
      model: completion.model,
      id: (completion as { _request_id?: string | null })._request_id ?? completion.id,
    },
    output,
  );
}
