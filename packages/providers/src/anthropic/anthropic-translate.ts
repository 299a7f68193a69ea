import type Anthropic from '@anthropic-ai/sdk';
import type { FinishReason, ModelRequest, ModelToolCall, StructuredOutputRequest } from '@orchestrator/spec';
import type { ShapedOptions } from '../capabilities/model-capabilities.ts';
import type { ReplyDraft, ReportedUsage } from '../usage/settle-usage.ts';

type MessageParams = Anthropic.MessageCreateParamsNonStreaming;

/**
 * System parts become text blocks; the LAST cacheable part carries `cache_control`, so the whole stable prefix
 * (tools, then system parts up to it) is cached and later, volatile parts are not.
 */
export function toAnthropicSystem(request: ModelRequest): Anthropic.TextBlockParam[] {
  let lastCacheable = -1;
  request.system.forEach((part, index) => {
    if (part.cacheable === true) lastCacheable = index;
  });
  return request.system
    .filter((part) => part.text !== '')
    .map((part) => ({
      type: 'text' as const,
      text: part.text,
      ...(request.system.indexOf(part) === lastCacheable ? { cache_control: { type: 'ephemeral' as const } } : {}),
    }));
}

/** The forced tool that carries a structured reply: the model must call it, and its input is the object. */
export function toOutputTool(output: StructuredOutputRequest): Anthropic.Tool {
  return {
    name: output.name,
    ...(output.description === undefined ? {} : { description: output.description }),
    input_schema: { type: 'object', ...output.schema } as Anthropic.Tool.InputSchema,
  };
}

/** Thinking budgets per effort (Anthropic requires at least 1,024 and less than `max_tokens`). */
const thinkingBudgets = { minimal: 1024, low: 2048, medium: 8192, high: 24_576 } as const;

/**
 * The `thinking` parameter for a shaped request, or a warning saying why none is sent: structured output forces a
 * tool, which Anthropic refuses with thinking on, and a budget needs room below the output cap.
 */
export function thinkingFor(
  shaped: ShapedOptions,
  request: ModelRequest,
): { thinking?: Anthropic.ThinkingConfigEnabled; warning?: string } {
  const effort = shaped.effort;
  if (effort === undefined || effort === 'none') return {};
  if (request.output !== undefined) {
    return { warning: 'option-dropped: thinking is off for structured replies (a forced tool call refuses it).' };
  }
  const budget = Math.min(thinkingBudgets[effort], shaped.maxOutputTokens - 1024);
  if (budget < 1024) {
    return {
      warning: `option-dropped: maxOutputTokens ${shaped.maxOutputTokens} leaves no room for a thinking budget (at least 1,024 below the cap); thinking off.`,
    };
  }
  return { thinking: { type: 'enabled', budget_tokens: budget } };
}

/** The provider-neutral request as Messages API parameters (non-streaming; streaming adds `stream`). */
export function toAnthropicParams(
  model: string,
  request: ModelRequest,
  shaped: ShapedOptions = {
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    effort: undefined,
    reasoningActive: false,
    warnings: [],
  },
): MessageParams {
  const system = toAnthropicSystem(request);
  const { thinking } = thinkingFor(shaped, request);
  // With thinking on, Anthropic accepts no temperature but 1.
  const temperature = thinking === undefined ? shaped.temperature : undefined;
  return {
    model,
    max_tokens: shaped.maxOutputTokens,
    messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
    ...(system.length === 0 ? {} : { system }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(thinking === undefined ? {} : { thinking }),
    ...(request.output === undefined
      ? {}
      : {
          tools: [toOutputTool(request.output)],
          tool_choice: { type: 'tool' as const, name: request.output.name },
        }),
  };
}

/** Parameters for the count-tokens endpoint (same prompt, no sampling options). */
export function toAnthropicCountParams(model: string, request: ModelRequest): Anthropic.MessageCountTokensParams {
  const params = toAnthropicParams(model, request);
  return {
    model,
    messages: params.messages,
    ...(params.system === undefined ? {} : { system: params.system }),
    ...(params.tools === undefined ? {} : { tools: params.tools }),
    ...(params.tool_choice === undefined ? {} : { tool_choice: params.tool_choice }),
  };
}

/**
 * Usage as the provider reported it (`input_tokens` already excludes cache reads and writes; thinking tokens are part
 * of `output_tokens`). A counter the reply lacks stays undefined, for `settleUsage` to book conservatively.
 */
export function fromAnthropicUsage(usage: Partial<Anthropic.Usage> | null | undefined): ReportedUsage | undefined {
  if (usage == null) return undefined;
  return {
    inputTokens: usage.input_tokens ?? undefined,
    outputTokens: usage.output_tokens ?? undefined,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    reasoningTokens: usage.output_tokens_details?.thinking_tokens ?? 0,
  };
}

function finishReasonOf(stopReason: string | null | undefined, structuredDelivered: boolean): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return structuredDelivered ? 'stop' : 'tool-calls';
    case 'refusal':
      return 'refusal';
    default:
      return 'other';
  }
}

/**
 * A complete Messages API reply as a port response. Server-side tool blocks and thinking are not part of `text`.
 * `rawToolInputs` (block index → streamed JSON text) lets a streamed reply keep an unparseable, cut tool input as the
 * raw string instead of the SDK's best-effort partial object. A structured reply cut by `max_tokens` carries no
 * `object`: a truncated object must never pass for a complete one.
 */
export function fromAnthropicMessage(
  message: Anthropic.Message,
  output: StructuredOutputRequest | undefined,
  rawToolInputs: ReadonlyMap<number, string> = new Map(),
): ReplyDraft {
  const texts: string[] = [];
  const toolCalls: ModelToolCall[] = [];
  message.content.forEach((block, index) => {
    if (block.type === 'text') texts.push(block.text);
    if (block.type === 'tool_use') {
      const raw = rawToolInputs.get(index);
      toolCalls.push({ id: block.id, name: block.name, input: raw === undefined ? block.input : parseOrRaw(raw) });
    }
  });
  const truncated = message.stop_reason === 'max_tokens';
  const structured = output === undefined ? undefined : toolCalls.find((call) => call.name === output.name);
  const object =
    structured === undefined || truncated || typeof structured.input === 'string' ? undefined : structured.input;
  return {
    text:
      structured === undefined
        ? texts.join('')
        : typeof structured.input === 'string'
          ? structured.input
          : JSON.stringify(structured.input),
    ...(object === undefined ? {} : { object }),
    ...(toolCalls.length === 0 ? {} : { toolCalls }),
    finishReason: finishReasonOf(message.stop_reason, object !== undefined),
    reported: fromAnthropicUsage(message.usage),
    modelId: message.model,
    providerRequestId: (message as { _request_id?: string | null })._request_id ?? message.id,
  };
}

function parseOrRaw(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
