import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** Where the recorded provider exchanges live, vendored in this repository with their licences (see PROVENANCE.md). */
export const defaultFixturesDirectory = resolve(import.meta.dirname, '../../fixtures/llm');

/** A recorded (or synthetic) HTTP response, replayed byte for byte. */
export interface ReplayResponse {
  status: number;
  /** Header name/value pairs in recorded order; hop-by-hop and length headers are recomputed by the server. */
  headers: ReadonlyArray<readonly [string, string]>;
  /** The body bytes exactly as sent (SSE framing included). */
  body: Buffer;
}

/** What a request must look like to be served an exchange in `match` mode. */
export interface ReplayRequestMatcher {
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** Parsed JSON body; compared structurally. Omitted matches any body. */
  body?: unknown;
}

/** One request/response pair the replay server can play. */
export interface ReplayExchange {
  /** Where it came from, e.g. `anthropic-cassettes/test_x.yaml#0` or `synthetic:429`. */
  label: string;
  /** True for exchanges built from documented shapes rather than recorded from a real service. */
  synthetic: boolean;
  request: ReplayRequestMatcher;
  response: ReplayResponse;
  /** Close the connection after this many body bytes (a cut stream). */
  cutAfterBytes?: number;
  /** Hold the response (no byte sent) until this promise settles: a deterministic slow first byte. */
  holdFirstByte?: Promise<unknown>;
}

const headerValues = z.union([z.array(z.union([z.string(), z.number()])), z.string(), z.number()]);
const interactionSchema = z.object({
  request: z.object({
    method: z.string(),
    uri: z.string(),
    parsed_body: z.unknown().optional(),
    body: z.unknown().optional(),
  }),
  response: z.object({
    status: z.object({ code: z.number().int() }),
    headers: z.record(z.string(), headerValues).default({}),
    body: z.object({ string: z.union([z.string(), z.instanceof(Uint8Array)]) }).optional(),
    parsed_body: z.unknown().optional(),
  }),
});
const cassetteSchema = z.object({ interactions: z.array(interactionSchema) });

function headerPairs(headers: Record<string, z.infer<typeof headerValues>>): Array<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) pairs.push([name.toLowerCase(), String(item)]);
  }
  return pairs;
}

/** Loads a VCR-style YAML cassette (`interactions[]`) into replayable exchanges, in recorded order. */
export function loadCassette(path: string, labelPrefix = basename(path)): ReplayExchange[] {
  const cassette = cassetteSchema.parse(parse(readFileSync(path, 'utf8')));
  return cassette.interactions.map((interaction, index) => {
    const { request, response } = interaction;
    // JSON bodies were stored parsed by the recorder; serializing them again is the closest we can get to the bytes.
    const body =
      response.body !== undefined
        ? typeof response.body.string === 'string'
          ? Buffer.from(response.body.string, 'utf8')
          : Buffer.from(response.body.string)
        : Buffer.from(response.parsed_body === undefined ? '' : JSON.stringify(response.parsed_body), 'utf8');
    return {
      label: `${labelPrefix}#${index}`,
      synthetic: false,
      request: {
        method: request.method.toUpperCase(),
        path: new URL(request.uri).pathname,
        ...(request.parsed_body === undefined ? {} : { body: request.parsed_body }),
      },
      response: { status: response.status.code, headers: headerPairs(response.headers), body },
    };
  });
}

/** A recorded raw SSE body (no request recorded) served as a 200 `text/event-stream` response. */
export function loadSseBody(path: string, request: ReplayRequestMatcher, label = basename(path)): ReplayExchange {
  return {
    label,
    synthetic: false,
    request,
    response: {
      status: 200,
      headers: [['content-type', 'text/event-stream; charset=utf-8']],
      body: readFileSync(path),
    },
  };
}

/** The API an exchange belongs to, judged by its request path. */
export type ExchangeApi = 'anthropic-messages' | 'anthropic-count-tokens' | 'openai-chat-completions' | 'other';

export function exchangeApi(exchange: ReplayExchange): ExchangeApi {
  const path = exchange.request.path;
  if (path.endsWith('/messages/count_tokens')) return 'anthropic-count-tokens';
  if (path.endsWith('/messages')) return 'anthropic-messages';
  if (path.endsWith('/chat/completions')) return 'openai-chat-completions';
  return 'other';
}

/** True when the recorded response is a server-sent-event stream. */
export function isStreamingExchange(exchange: ReplayExchange): boolean {
  return exchange.response.headers.some(
    ([name, value]) => name === 'content-type' && value.startsWith('text/event-stream'),
  );
}

/** Every cassette file under a fixtures folder (`anthropic-cassettes` or `openai-cassettes`), sorted. */
export function listCassettes(folder: string, fixturesDirectory = defaultFixturesDirectory): string[] {
  const directory = join(fixturesDirectory, folder);
  return readdirSync(directory)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => join(directory, name));
}

const nockRecordingSchema = z.array(
  z.object({
    method: z.string(),
    path: z.string(),
    body: z.unknown().optional(),
    status: z.number().int(),
    response: z.unknown(),
    rawHeaders: z.union([z.record(z.string(), z.string()), z.array(z.string())]).default({}),
  }),
);

/** Loads a nock recording (`[{ scope, method, path, body, status, response, rawHeaders }]`) into exchanges. */
export function loadNockRecording(path: string, labelPrefix = basename(path)): ReplayExchange[] {
  const recording = nockRecordingSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  return recording.map((entry, index) => {
    const headers: Array<readonly [string, string]> = [];
    if (Array.isArray(entry.rawHeaders)) {
      for (let at = 0; at + 1 < entry.rawHeaders.length; at += 2) {
        headers.push([String(entry.rawHeaders[at]).toLowerCase(), String(entry.rawHeaders[at + 1])]);
      }
    } else {
      for (const [name, value] of Object.entries(entry.rawHeaders)) headers.push([name.toLowerCase(), value]);
    }
    const body = typeof entry.response === 'string' ? entry.response : JSON.stringify(entry.response);
    return {
      label: `${labelPrefix}#${index}`,
      synthetic: false,
      request: {
        method: entry.method.toUpperCase(),
        path: new URL(entry.path, 'http://recorded').pathname,
        ...(entry.body === undefined ? {} : { body: entry.body }),
      },
      response: { status: entry.status, headers, body: Buffer.from(body, 'utf8') },
    };
  });
}
