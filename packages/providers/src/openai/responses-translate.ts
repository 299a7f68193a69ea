import { createHash } from 'node:crypto';
import type { FinishReason, ModelRequest, ModelToolCall, StructuredOutputRequest } from '@orchestrator/spec';
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseInputItem,
  ResponseReasoningItem,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import type { ShapedOptions } from '../capabilities/model-capabilities.ts';
import type { ReplyDraft, ReportedUsage } from '../usage/settle-usage.ts';

/** Reasoning items of earlier replies in the same step, to send back before those replies (see `ReasoningCarry`). */
export type CarriedReasoning = ReadonlyMap<string, readonly ResponseReasoningItem[]>;

export interface ResponsesParamsOptions {
  shaped: ShapedOptions;
  /** The family reasons: ask for `encrypted_content`, so reasoning can be carried across calls with `store: false`. */
  reasoningModel: boolean;
  /** Reasoning items keyed by the assistant text that followed them. */
  carried?: CarriedReasoning;
}

/** A stable key for OpenAI's prompt cache: the hash of the cacheable system prefix (none when nothing is cacheable). */
export function promptCacheKey(request: ModelRequest): string | undefined {
  let last = -1;
  request.system.forEach((part, index) => {
    if (part.cacheable === true) last = index;
  });
  if (last < 0) return undefined;
  const prefix = request.system
    .slice(0, last + 1)
    .map((part) => part.text)
    .join('\n\n');
  return `orc-${createHash('sha256').update(prefix).digest('hex').slice(0, 40)}`;
}

/** The provider-neutral request as Responses API parameters (non-streaming; streaming adds `stream`). */
export function toResponsesParams(
  model: string,
  request: ModelRequest,
  options: ResponsesParamsOptions,
): ResponseCreateParamsNonStreaming {
  const instructions = request.system
    .map((part) => part.text)
    .filter((text) => text !== '')
    .join('\n\n');
  const input: ResponseInputItem[] = [];
  for (const message of request.messages) {
    if (message.role === 'assistant') {
      for (const item of options.carried?.get(message.content) ?? []) input.push(item);
    }
    input.push({ role: message.role, content: message.content });
  }
  const { shaped } = options;
  const cacheKey = promptCacheKey(request);
  return {
    model,
    input,
    ...(instructions === '' ? {} : { instructions }),
    max_output_tokens: shaped.maxOutputTokens,
    // Nothing is kept on OpenAI's side; reasoning travels back as encrypted content instead.
    store: false,
    ...(options.reasoningModel ? { include: ['reasoning.encrypted_content' as const] } : {}),
    ...(shaped.temperature === undefined ? {} : { temperature: shaped.temperature }),
    ...(shaped.effort === undefined ? {} : { reasoning: { effort: shaped.effort } }),
    ...(cacheKey === undefined ? {} : { prompt_cache_key: cacheKey }),
    ...(request.output === undefined ? {} : { text: { format: toTextFormat(request.output) } }),
  };
}

function toTextFormat(output: StructuredOutputRequest) {
  return {
    type: 'json_schema' as const,
    name: output.name,
    ...(output.description === undefined ? {} : { description: output.description }),
    schema: output.schema,
    // Strict mode demands every property required and no additional properties; our schemas do not promise that.
    strict: false,
  };
}

/** Usage as reported: `input_tokens` includes cached tokens (billed apart); `output_tokens` includes reasoning. */
export function fromResponsesUsage(usage: ResponseUsage | null | undefined): ReportedUsage | undefined {
  if (usage == null) return undefined;
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  const input = typeof usage.input_tokens === 'number' ? usage.input_tokens : undefined;
  return {
    inputTokens: input === undefined ? undefined : Math.max(0, input - cached),
    outputTokens: typeof usage.output_tokens === 'number' ? usage.output_tokens : undefined,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

function parseOrRaw(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Text, refusal, tool calls and reasoning items of a Responses reply's output. */
export function outputParts(response: Pick<Response, 'output'>) {
  const texts: string[] = [];
  let refusal = '';
  const toolCalls: ModelToolCall[] = [];
  const reasoning: ResponseReasoningItem[] = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content) {
        if (part.type === 'output_text') texts.push(part.text);
        if (part.type === 'refusal') refusal += part.refusal;
      }
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, input: parseOrRaw(item.arguments) });
    } else if (item.type === 'reasoning') {
      reasoning.push(item);
    }
  }
  return { text: texts.join(''), refusal, toolCalls, reasoning };
}

function finishReasonOf(response: Response, refused: boolean, toolCalls: number): FinishReason {
  if (refused) return 'refusal';
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason;
    return reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other';
  }
  if (response.status !== 'completed') return 'other';
  return toolCalls > 0 ? 'tool-calls' : 'stop';
}

/** A complete Responses reply as a draft port response (usage settled by the caller). */
export function fromResponse(response: Response, output: StructuredOutputRequest | undefined): ReplyDraft {
  const parts = outputParts(response);
  const finishReason = finishReasonOf(response, parts.refusal !== '', parts.toolCalls.length);
  // A reply cut by the token cap carries no object, even if the cut text happens to parse.
  const object =
    output === undefined || finishReason === 'length' || finishReason === 'refusal'
      ? undefined
      : parseOrUndefined(parts.text);
  return {
    text: parts.text,
    ...(object === undefined ? {} : { object }),
    ...(parts.toolCalls.length === 0 ? {} : { toolCalls: parts.toolCalls }),
    finishReason,
    reported: fromResponsesUsage(response.usage),
    modelId: response.model,
    providerRequestId: (response as { _request_id?: string | null })._request_id ?? response.id,
  };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
