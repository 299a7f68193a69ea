import type { ReplayExchange, ReplayRequestMatcher } from './cassette.ts';

/*
 * SYNTHETIC exchanges. No real recording of these faults exists in the fixtures; they are built from the vendors'
 * documented error shapes (Anthropic: https://docs.anthropic.com/en/api/errors, OpenAI: error object with
 * message/type/code) and every one is labelled `synthetic:` and flagged `synthetic: true`.
 */

export type FaultVendor = 'anthropic' | 'openai';

const anyRequest: ReplayRequestMatcher = { method: 'POST', path: '/v1/messages' };

function requestFor(vendor: FaultVendor): ReplayRequestMatcher {
  return vendor === 'anthropic' ? anyRequest : { method: 'POST', path: '/v1/chat/completions' };
}

function errorBody(vendor: FaultVendor, type: string, message: string): Buffer {
  const body =
    vendor === 'anthropic'
      ? { type: 'error', error: { type, message }, request_id: 'req_synthetic' }
      : { error: { message, type, param: null, code: type } };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function errorExchange(
  vendor: FaultVendor,
  status: number,
  type: string,
  message: string,
  extraHeaders: Array<readonly [string, string]>,
): ReplayExchange {
  return {
    label: `synthetic:${vendor}-${status}-${type}`,
    synthetic: true,
    request: requestFor(vendor),
    response: {
      status,
      headers: [['content-type', 'application/json'], ...extraHeaders],
      body: errorBody(vendor, type, message),
    },
  };
}

/** 429 with `retry-after` (seconds) and, when given, `retry-after-ms`. */
export function rateLimitedFault(
  vendor: FaultVendor,
  options: { retryAfterSeconds: number; retryAfterMs?: number },
): ReplayExchange {
  const headers: Array<readonly [string, string]> = [['retry-after', String(options.retryAfterSeconds)]];
  if (options.retryAfterMs !== undefined) headers.push(['retry-after-ms', String(options.retryAfterMs)]);
  return errorExchange(
    vendor,
    429,
    vendor === 'anthropic' ? 'rate_limit_error' : 'rate_limit_exceeded',
    'Number of request tokens has exceeded your per-minute rate limit (synthetic).',
    headers,
  );
}

/** Anthropic's 529 `overloaded_error` (OpenAI has no 529; it answers 503). Optional `retry-after-ms` keeps tests fast. */
export function overloadedFault(vendor: FaultVendor, options: { retryAfterMs?: number } = {}): ReplayExchange {
  const headers: Array<readonly [string, string]> =
    options.retryAfterMs === undefined ? [] : [['retry-after-ms', String(options.retryAfterMs)]];
  return vendor === 'anthropic'
    ? errorExchange(vendor, 529, 'overloaded_error', 'Overloaded (synthetic)', headers)
    : errorExchange(vendor, 503, 'server_overloaded', 'The server is overloaded (synthetic).', headers);
}

/** A plain 500 internal server error. */
export function serverErrorFault(vendor: FaultVendor, options: { retryAfterMs?: number } = {}): ReplayExchange {
  const headers: Array<readonly [string, string]> =
    options.retryAfterMs === undefined ? [] : [['retry-after-ms', String(options.retryAfterMs)]];
  return errorExchange(
    vendor,
    500,
    vendor === 'anthropic' ? 'api_error' : 'server_error',
    'Internal server error (synthetic).',
    headers,
  );
}

/**
 * A recorded stream cut mid-message: the connection is dropped after `fraction` of the body (default half),
 * so the closing events (`message_stop`, `finish_reason`, `[DONE]`) never arrive.
 */
export function cutStreamFault(recorded: ReplayExchange, fraction = 0.5): ReplayExchange {
  return {
    ...recorded,
    label: `synthetic:cut(${recorded.label})`,
    synthetic: true,
    cutAfterBytes: Math.floor(recorded.response.body.length * fraction),
  };
}

/** A recorded exchange whose first byte is held until `release()` is called: a slow first byte without timers. */
export function slowFirstByteFault(recorded: ReplayExchange): { exchange: ReplayExchange; release: () => void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    exchange: { ...recorded, label: `synthetic:slow(${recorded.label})`, synthetic: true, holdFirstByte: gate },
    release,
  };
}

/** An Anthropic stream that starts fine and then sends an `overloaded_error` event mid-message (documented shape). */
export function midStreamOverloadedFault(): ReplayExchange {
  const events = [
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_synthetic","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}\n\n',
    'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half a"}}\n\n',
    'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded (synthetic)"}}\n\n',
  ];
  return {
    label: 'synthetic:anthropic-mid-stream-overloaded',
    synthetic: true,
    request: anyRequest,
    response: {
      status: 200,
      headers: [['content-type', 'text/event-stream; charset=utf-8']],
      body: Buffer.from(events.join(''), 'utf8'),
    },
  };
}
