import type { ModelPort, ModelRequest, ModelResponse } from '@orchestrator/spec';
import type { ReplayExchange } from './cassette.ts';

/*
 * SYNTHETIC OpenAI Responses API replies (`POST /v1/responses`): a Model port's answer (usually the scripted model)
 * rendered as a Responses reply, complete or streamed, so a run can go through the Responses adapter and the real SDK
 * on the replay server. Every exchange is labelled `synthetic:scripted-responses-…`.
 */

type Json = Record<string, unknown>;
let sequence = 0;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (typeof part === 'object' && part !== null ? String((part as Json).text ?? '') : ''))
    .join('');
}

/** The provider-neutral request a Responses adapter sent, read back from its wire body. */
export function responsesRequestToModelRequest(body: Json): ModelRequest {
  const instructions = typeof body.instructions === 'string' ? body.instructions : '';
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input as Json[]);
  const format = ((body.text as Json | undefined)?.format as Json | undefined) ?? {};
  return {
    system: instructions === '' ? [] : [{ text: instructions }],
    messages: (input ?? [])
      .filter((item) => item.role === 'user' || item.role === 'assistant')
      .map((item) => ({ role: item.role as 'user' | 'assistant', content: textOf(item.content) })),
    maxOutputTokens: Number(body.max_output_tokens ?? 1024),
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(format.type === 'json_schema'
      ? {
          output: {
            name: String(format.name),
            ...(format.description === undefined ? {} : { description: String(format.description) }),
            schema: format.schema as Json,
          },
        }
      : {}),
  };
}

function responseObject(response: ModelResponse, model: string, id: string): Json {
  const usage = response.usage;
  return {
    id,
    object: 'response',
    created_at: 1_700_000_000 + sequence,
    status: response.finishReason === 'length' ? 'incomplete' : 'completed',
    incomplete_details: response.finishReason === 'length' ? { reason: 'max_output_tokens' } : null,
    error: null,
    model,
    output: [
      {
        id: `msg_${id}`,
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: response.text, annotations: [] }],
      },
    ],
    usage: {
      input_tokens: usage.inputTokens + usage.cacheReadTokens,
      input_tokens_details: { cached_tokens: usage.cacheReadTokens },
      output_tokens: usage.outputTokens,
      output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
      total_tokens: usage.inputTokens + usage.cacheReadTokens + usage.outputTokens,
    },
  };
}

/** A model's reply as a synthetic `/v1/responses` exchange (JSON, or SSE events ending in `response.completed`). */
export function modelResponseToResponsesExchange(
  response: ModelResponse,
  options: { model: string; stream: boolean },
): ReplayExchange {
  sequence += 1;
  const id = `resp_synthetic_${sequence}`;
  const object = responseObject(response, options.model, id);
  const events = [
    { type: 'response.created', response: { ...object, status: 'in_progress', output: [], usage: null } },
    {
      type: 'response.output_text.delta',
      item_id: `msg_${id}`,
      output_index: 0,
      content_index: 0,
      delta: response.text,
    },
    { type: object.status === 'incomplete' ? 'response.incomplete' : 'response.completed', response: object },
  ];
  const body = options.stream
    ? events
        .map(
          (event, index) => `event: ${event.type}\ndata: ${JSON.stringify({ ...event, sequence_number: index })}\n\n`,
        )
        .join('')
    : JSON.stringify(object);
  return {
    label: `synthetic:scripted-responses-${sequence}`,
    synthetic: true,
    request: { method: 'POST', path: '/v1/responses' },
    response: {
      status: 200,
      headers: [['content-type', options.stream ? 'text/event-stream; charset=utf-8' : 'application/json']],
      body: Buffer.from(body, 'utf8'),
    },
  };
}

/** A replay-server `respond` hook answering `POST …/responses` with what `model` answers to the same request. */
export function scriptedResponsesResponder(model: ModelPort) {
  return async (request: { method: string; path: string; body: unknown }): Promise<ReplayExchange | undefined> => {
    if (request.method !== 'POST' || !request.path.endsWith('/responses')) return undefined;
    if (typeof request.body !== 'object' || request.body === null) return undefined;
    const body = request.body as Json;
    const response = await model.generate(responsesRequestToModelRequest(body));
    return modelResponseToResponsesExchange(response, { model: String(body.model), stream: body.stream === true });
  };
}
