import type { ReplayExchange } from './cassette.ts';

/**
 * What a recorded reply says, read straight from the recorded bytes (independently of any SDK), so tests can check
 * an adapter's text, tool calls and usage against the recording.
 */
export interface RecordedReply {
  model: string;
  text: string;
  toolCalls: Array<{ name: string; input: unknown }>;
  /** Raw usage counters as the vendor named them (last value wins for cumulative stream counters). */
  usage: Record<string, number>;
  /** `stop_reason` / `finish_reason`. */
  stopReason: string | null;
  /** OpenAI refusal text, when the model refused (empty otherwise). */
  refusal: string;
}

type Json = Record<string, unknown>;

function sseEvents(body: string): Json[] {
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

function numbers(value: unknown): Record<string, number> {
  const result: Record<string, number> = {};
  if (typeof value !== 'object' || value === null) return result;
  for (const [key, inner] of Object.entries(value)) if (typeof inner === 'number') result[key] = inner;
  return result;
}

function parseJsonOr(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function anthropicFromMessage(message: Json): RecordedReply {
  const content = (message.content as Json[] | undefined) ?? [];
  return {
    model: String(message.model),
    text: content
      .filter((block) => block.type === 'text')
      .map((block) => String(block.text))
      .join(''),
    toolCalls: content
      .filter((block) => block.type === 'tool_use')
      .map((block) => ({ name: String(block.name), input: block.input })),
    usage: numbers(message.usage),
    stopReason: (message.stop_reason as string | null) ?? null,
    refusal: '',
  };
}

function anthropicFromStream(body: string): RecordedReply {
  const blocks = new Map<number, { type: string; name: string; text: string }>();
  let model = '';
  let usage: Record<string, number> = {};
  let stopReason: string | null = null;
  for (const event of sseEvents(body)) {
    if (event.type === 'message_start') {
      const message = event.message as Json;
      model = String(message.model);
      usage = numbers(message.usage);
    } else if (event.type === 'content_block_start') {
      const block = event.content_block as Json;
      blocks.set(Number(event.index), { type: String(block.type), name: String(block.name ?? ''), text: '' });
    } else if (event.type === 'content_block_delta') {
      const delta = event.delta as Json;
      const block = blocks.get(Number(event.index));
      if (block && delta.type === 'text_delta') block.text += String(delta.text);
      if (block && delta.type === 'input_json_delta') block.text += String(delta.partial_json);
    } else if (event.type === 'message_delta') {
      usage = { ...usage, ...numbers(event.usage) };
      stopReason = ((event.delta as Json).stop_reason as string | null) ?? stopReason;
    }
  }
  const ordered = [...blocks.entries()].sort(([a], [b]) => a - b).map(([, block]) => block);
  return {
    model,
    text: ordered
      .filter((block) => block.type === 'text')
      .map((block) => block.text)
      .join(''),
    toolCalls: ordered
      .filter((block) => block.type === 'tool_use')
      .map((block) => ({ name: block.name, input: block.text === '' ? {} : parseJsonOr(block.text) })),
    usage,
    stopReason,
    refusal: '',
  };
}

function openAiFromCompletion(completion: Json): RecordedReply {
  const choice = ((completion.choices as Json[] | undefined) ?? [])[0] ?? {};
  const message = (choice.message as Json | undefined) ?? {};
  const calls = (message.tool_calls as Json[] | undefined) ?? [];
  const usage = (completion.usage as Json | undefined) ?? {};
  return {
    model: String(completion.model),
    text: typeof message.content === 'string' ? message.content : '',
    toolCalls: calls.map((call) => {
      const fn = call.function as Json;
      return { name: String(fn.name), input: parseJsonOr(String(fn.arguments)) };
    }),
    usage: {
      ...numbers(usage),
      ...Object.fromEntries(
        Object.entries(numbers(usage.prompt_tokens_details)).map(([key, value]) => [`prompt.${key}`, value]),
      ),
      ...Object.fromEntries(
        Object.entries(numbers(usage.completion_tokens_details)).map(([key, value]) => [`completion.${key}`, value]),
      ),
    },
    stopReason: (choice.finish_reason as string | null) ?? null,
    refusal: typeof message.refusal === 'string' ? message.refusal : '',
  };
}

function openAiFromStream(body: string): RecordedReply {
  let model = '';
  let text = '';
  let refusal = '';
  let stopReason: string | null = null;
  let usage: Json = {};
  const calls: Array<{ name: string; arguments: string }> = [];
  for (const chunk of sseEvents(body)) {
    if (typeof chunk.model === 'string') model = chunk.model;
    if (chunk.usage) usage = chunk.usage as Json;
    const choice = ((chunk.choices as Json[] | undefined) ?? []).find((candidate) => candidate.index === 0);
    if (choice === undefined) continue;
    const delta = (choice.delta as Json | undefined) ?? {};
    if (typeof delta.content === 'string') text += delta.content;
    if (typeof delta.refusal === 'string') refusal += delta.refusal;
    for (const call of (delta.tool_calls as Json[] | undefined) ?? []) {
      const index = Number(call.index);
      const slot = calls[index] ?? { name: '', arguments: '' };
      calls[index] = slot;
      const fn = (call.function as Json | undefined) ?? {};
      if (typeof fn.name === 'string') slot.name += fn.name;
      if (typeof fn.arguments === 'string') slot.arguments += fn.arguments;
    }
    if (typeof choice.finish_reason === 'string') stopReason = choice.finish_reason;
  }
  return {
    ...openAiFromCompletion({ model, usage, choices: [] }),
    text,
    toolCalls: calls.map((call) => ({ name: call.name, input: parseJsonOr(call.arguments) })),
    stopReason,
    refusal,
  };
}

/** Reads a recorded Anthropic Messages or OpenAI Chat Completions reply (complete or streamed). */
export function recordedReply(exchange: ReplayExchange, vendor: 'anthropic' | 'openai'): RecordedReply {
  const body = exchange.response.body.toString('utf8');
  const streamed = exchange.response.headers.some(
    ([name, value]) => name === 'content-type' && value.startsWith('text/event-stream'),
  );
  if (vendor === 'anthropic') return streamed ? anthropicFromStream(body) : anthropicFromMessage(JSON.parse(body));
  return streamed ? openAiFromStream(body) : openAiFromCompletion(JSON.parse(body));
}
