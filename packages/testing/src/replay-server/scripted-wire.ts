import {
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type PromptPart,
} from '@orchestrator/spec';
import type { ReplayExchange } from './cassette.ts';
import { overloadedFault, rateLimitedFault, serverErrorFault } from './synthetic-faults.ts';

/*
 * SYNTHETIC wire replies: a Model port's answer (usually the scripted model) rendered in the Anthropic Messages or
 * OpenAI Chat Completions wire format, so a whole run can go through the real SDKs and adapters on the replay server.
 * Every exchange is labelled `synthetic:scripted-…`.
 */

export type WireVendor = 'anthropic' | 'openai';

type Json = Record<string, unknown>;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) =>
      typeof block === 'object' && block !== null && (block as Json).type === 'text'
        ? String((block as Json).text)
        : '',
    )
    .join('');
}

/** The provider-neutral request an adapter sent, read back from its wire body. */
export function wireRequestToModelRequest(vendor: WireVendor, body: Json): ModelRequest {
  const maxOutputTokens = Number(body.max_tokens ?? body.max_completion_tokens ?? 1024);
  const temperature = typeof body.temperature === 'number' ? { temperature: body.temperature } : {};
  const rawMessages = (body.messages as Json[] | undefined) ?? [];
  if (vendor === 'anthropic') {
    const rawSystem = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : body.system;
    const system: PromptPart[] = ((rawSystem as Json[] | undefined) ?? []).map((block) => ({
      text: String(block.text),
      ...(block.cache_control === undefined ? {} : { cacheable: true }),
    }));
    const tool = ((body.tools as Json[] | undefined) ?? [])[0];
    const forced = (body.tool_choice as Json | undefined)?.type === 'tool';
    return {
      system,
      messages: rawMessages.map((message) => ({
        role: message.role as 'user' | 'assistant',
        content: textOf(message.content),
      })),
      maxOutputTokens,
      ...temperature,
      ...(tool !== undefined && forced
        ? {
            output: {
              name: String(tool.name),
              ...(tool.description === undefined ? {} : { description: String(tool.description) }),
              schema: tool.input_schema as Json,
            },
          }
        : {}),
    };
  }
  const format = (body.response_format as Json | undefined)?.json_schema as Json | undefined;
  return {
    system: rawMessages
      .filter((message) => message.role === 'system')
      .map((message) => ({ text: textOf(message.content) })),
    messages: rawMessages
      .filter((message) => message.role === 'user' || message.role === 'assistant')
      .map((message) => ({ role: message.role as 'user' | 'assistant', content: textOf(message.content) })),
    maxOutputTokens,
    ...temperature,
    ...(format === undefined
      ? {}
      : {
          output: {
            name: String(format.name),
            ...(format.description === undefined ? {} : { description: String(format.description) }),
            schema: format.schema as Json,
          },
        }),
  };
}

let sequence = 0;

function sse(events: Array<[string | undefined, unknown]>): Buffer {
  return Buffer.from(
    events
      .map(
        ([name, data]) =>
          `${name === undefined ? '' : `event: ${name}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
      )
      .join(''),
    'utf8',
  );
}

function anthropicBody(
  response: ModelResponse,
  model: string,
  structured: string | undefined,
  stream: boolean,
): Buffer {
  const id = `msg_synthetic_${++sequence}`;
  const usage = {
    input_tokens: response.usage.inputTokens,
    output_tokens: response.usage.outputTokens,
    cache_read_input_tokens: response.usage.cacheReadTokens,
    cache_creation_input_tokens: response.usage.cacheWriteTokens,
  };
  const object = structured === undefined ? undefined : (response.object ?? safeParse(response.text));
  const useTool = structured !== undefined && object !== undefined;
  const stopReason = useTool ? 'tool_use' : response.finishReason === 'length' ? 'max_tokens' : 'end_turn';
  const block = useTool
    ? { type: 'tool_use', id: `toolu_synthetic_${sequence}`, name: structured, input: object }
    : { type: 'text', text: response.text };
  if (!stream) {
    return Buffer.from(
      JSON.stringify({
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [block],
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      }),
    );
  }
  const startBlock = useTool ? { ...block, input: {} } : { type: 'text', text: '' };
  const delta = useTool
    ? { type: 'input_json_delta', partial_json: JSON.stringify(object) }
    : { type: 'text_delta', text: response.text };
  return sse([
    [
      'message_start',
      {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
    ],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: startBlock }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: usage.output_tokens },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ]);
}

function openAiBody(response: ModelResponse, model: string, stream: boolean): Buffer {
  const id = `chatcmpl-synthetic-${++sequence}`;
  const created = 1_700_000_000 + sequence;
  const finish = response.finishReason === 'length' ? 'length' : 'stop';
  const usage = {
    prompt_tokens: response.usage.inputTokens + response.usage.cacheReadTokens,
    completion_tokens: response.usage.outputTokens,
    total_tokens: response.usage.inputTokens + response.usage.cacheReadTokens + response.usage.outputTokens,
    prompt_tokens_details: { cached_tokens: response.usage.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: response.usage.reasoningTokens },
  };
  if (!stream) {
    return Buffer.from(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: response.text, refusal: null }, finish_reason: finish },
        ],
        usage,
      }),
    );
  }
  const chunk = (choices: unknown[], extra: Json = {}) =>
    [undefined, { id, object: 'chat.completion.chunk', created, model, choices, ...extra }] as [undefined, unknown];
  return sse([
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    chunk([{ index: 0, delta: { content: response.text }, finish_reason: null }]),
    chunk([{ index: 0, delta: {}, finish_reason: finish }]),
    chunk([], { usage }),
    [undefined, '[DONE]'],
  ]);
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A model's reply as a synthetic wire exchange of the vendor (complete JSON or SSE, as the request asked). */
export function modelResponseToExchange(
  vendor: WireVendor,
  response: ModelResponse,
  options: { model: string; stream: boolean; structuredName?: string },
): ReplayExchange {
  const body =
    vendor === 'anthropic'
      ? anthropicBody(response, options.model, options.structuredName, options.stream)
      : openAiBody(response, options.model, options.stream);
  return {
    label: `synthetic:scripted-${vendor}-${sequence}`,
    synthetic: true,
    request: { method: 'POST', path: vendor === 'anthropic' ? '/v1/messages' : '/v1/chat/completions' },
    response: {
      status: 200,
      headers: [['content-type', options.stream ? 'text/event-stream; charset=utf-8' : 'application/json']],
      body,
    },
  };
}

function faultFor(vendor: WireVendor, error: unknown): ReplayExchange {
  const kind = ModelCallError.isModelCallError(error) ? error.kind : 'retryable';
  if (kind === 'overloaded') return overloadedFault(vendor, { retryAfterMs: 1 });
  if (kind === 'rate-limited') return rateLimitedFault(vendor, { retryAfterSeconds: 0, retryAfterMs: 1 });
  return serverErrorFault(vendor, { retryAfterMs: 1 });
}

/**
 * A replay-server `respond` hook that answers Anthropic `/v1/messages` and OpenAI `/chat/completions` requests with
 * what `model` (e.g. the scripted model) answers to the same provider-neutral request. Model errors become the
 * matching synthetic HTTP faults (overloaded → 529/503), so the SDKs' retry and the adapters' classification run.
 */
export function scriptedWireResponder(model: ModelPort) {
  return async (request: { method: string; path: string; body: unknown }): Promise<ReplayExchange | undefined> => {
    if (request.path.endsWith('/messages/count_tokens') && typeof request.body === 'object' && request.body !== null) {
      const counted = await model.countTokens(wireRequestToModelRequest('anthropic', request.body as Json));
      return {
        label: 'synthetic:scripted-anthropic-count-tokens',
        synthetic: true,
        request: { method: 'POST', path: request.path },
        response: {
          status: 200,
          headers: [['content-type', 'application/json']],
          body: Buffer.from(JSON.stringify({ input_tokens: counted.inputTokens })),
        },
      };
    }
    const vendor: WireVendor | undefined = request.path.endsWith('/messages')
      ? 'anthropic'
      : request.path.endsWith('/chat/completions')
        ? 'openai'
        : undefined;
    if (
      vendor === undefined ||
      request.method !== 'POST' ||
      typeof request.body !== 'object' ||
      request.body === null
    ) {
      return undefined;
    }
    const body = request.body as Json;
    const modelRequest = wireRequestToModelRequest(vendor, body);
    try {
      const response = await model.generate(modelRequest);
      return modelResponseToExchange(vendor, response, {
        model: String(body.model),
        stream: body.stream === true,
        ...(modelRequest.output === undefined ? {} : { structuredName: modelRequest.output.name }),
      });
    } catch (error) {
      return faultFor(vendor, error);
    }
  };
}
