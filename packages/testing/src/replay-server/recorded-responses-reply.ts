import type { ReplayExchange } from './cassette.ts';

/**
 * What a recorded OpenAI Responses API reply says, read straight from the recorded bytes (independently of any SDK):
 * the final response object of a JSON body, or the one carried by the stream's `response.completed` /
 * `response.incomplete` / `response.failed` event.
 */
export interface RecordedResponsesReply {
  model: string;
  status: string;
  /** `incomplete_details.reason`, when the reply is incomplete. */
  incompleteReason: string | null;
  /** Concatenated `output_text` parts of the message items. */
  text: string;
  /** Concatenated text deltas of a stream (empty for a JSON body). */
  streamedText: string;
  refusal: string;
  toolCalls: Array<{ name: string; input: unknown }>;
  /** Reasoning items in the output, and how many carry `encrypted_content`. */
  reasoningItems: number;
  encryptedReasoningItems: number;
  /** `input_tokens`, `output_tokens`, `cached_tokens`, `reasoning_tokens` as recorded (absent when not recorded). */
  usage:
    | {
        input: number | undefined;
        output: number | undefined;
        cached: number | undefined;
        reasoning: number | undefined;
      }
    | undefined;
}

type Json = Record<string, unknown>;

function sseData(body: string): Json[] {
  const events: Json[] = [];
  for (const frame of body.split(/\r?\n\r?\n/)) {
    const data = frame
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (data === '' || data === '[DONE]') continue;
    events.push(JSON.parse(data) as Json);
  }
  return events;
}

function parseJsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const numberOr = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** Reads a recorded `/v1/responses` reply (complete or streamed). */
export function recordedResponsesReply(exchange: ReplayExchange): RecordedResponsesReply {
  const body = exchange.response.body.toString('utf8');
  const streamed = exchange.response.headers.some(
    ([name, value]) => name === 'content-type' && value.startsWith('text/event-stream'),
  );
  let response: Json = {};
  let streamedText = '';
  if (streamed) {
    for (const event of sseData(body)) {
      if (event.type === 'response.output_text.delta') streamedText += String(event.delta ?? '');
      if (['response.completed', 'response.incomplete', 'response.failed'].includes(String(event.type))) {
        response = event.response as Json;
      }
    }
  } else {
    response = JSON.parse(body) as Json;
  }
  const output = (response.output as Json[] | undefined) ?? [];
  const texts: string[] = [];
  let refusal = '';
  for (const item of output.filter((entry) => entry.type === 'message')) {
    for (const part of (item.content as Json[] | undefined) ?? []) {
      if (part.type === 'output_text') texts.push(String(part.text));
      if (part.type === 'refusal') refusal += String(part.refusal);
    }
  }
  const reasoning = output.filter((entry) => entry.type === 'reasoning');
  const usage = response.usage as Json | null | undefined;
  return {
    model: String(response.model ?? ''),
    status: String(response.status ?? ''),
    incompleteReason: ((response.incomplete_details as Json | null | undefined)?.reason as string | undefined) ?? null,
    text: texts.join(''),
    streamedText,
    refusal,
    toolCalls: output
      .filter((entry) => entry.type === 'function_call')
      .map((entry) => ({ name: String(entry.name), input: parseJsonOr(String(entry.arguments)) })),
    reasoningItems: reasoning.length,
    encryptedReasoningItems: reasoning.filter((entry) => typeof entry.encrypted_content === 'string').length,
    usage:
      usage == null
        ? undefined
        : {
            input: numberOr(usage.input_tokens),
            output: numberOr(usage.output_tokens),
            cached: numberOr((usage.input_tokens_details as Json | undefined)?.cached_tokens),
            reasoning: numberOr((usage.output_tokens_details as Json | undefined)?.reasoning_tokens),
          },
  };
}
