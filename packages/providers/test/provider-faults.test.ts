import { join } from 'node:path';
import { ModelCallError, type ModelPort, type ModelRequest } from '@orchestrator/spec';
import { collectStream } from '@orchestrator/testing/conformance/model-port-conformance';
import {
  cutStreamFault,
  defaultFixturesDirectory,
  loadCassette,
  loadSseBody,
  midStreamOverloadedFault,
  overloadedFault,
  type ReplayExchange,
  type ReplayServer,
  rateLimitedFault,
  serverErrorFault,
  slowFirstByteFault,
  startReplayServer,
} from '@orchestrator/testing/replay-server/index';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAnthropicModel } from '../src/anthropic/anthropic-model.ts';
import type { CallRuntime } from '../src/bounds/bounded-call.ts';
import { createOpenAiModel } from '../src/openai/openai-model.ts';

const fixture = (folder: string, name: string, index = 0): ReplayExchange => {
  const exchange = loadCassette(join(defaultFixturesDirectory, folder, name))[index];
  if (exchange === undefined) throw new Error(`no exchange ${index} in ${name}`);
  return exchange;
};
const anthropicText = fixture('anthropic-cassettes', 'anthropic_test_output_test_no_tools_no_output.yaml');
const anthropicStream = fixture('anthropic-cassettes', 'test_anthropic_model_thinking_part_stream.yaml');
const openAiText = fixture('openai-cassettes', 'test_openai_text_output_function.yaml', 1);
const openAiStream = fixture('openai-cassettes', 'test_openai_moderation_stream.yaml');

const request: ModelRequest = {
  system: [
    { text: 'Stable instructions.', cacheable: true },
    { text: 'Repository context.', cacheable: true },
    { text: 'Volatile note.' },
  ],
  messages: [{ role: 'user', content: 'Hello' }],
  maxOutputTokens: 256,
};

const anthropicKey = 'sk-ant-api03-SECRETSECRETSECRET';
const openAiKey = 'sk-proj-SECRETSECRETSECRET';
let server: ReplayServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  server = undefined;
});

/** Waits between attempts, recorded instead of slept: the retry policy is checked without a clock. */
let sleeps: number[] = [];
const runtime: CallRuntime = {
  sleep: async (milliseconds) => {
    sleeps.push(milliseconds);
  },
  random: () => 0.5,
};
async function anthropic(exchanges: ReplayExchange[], maxRetries = 2): Promise<ModelPort> {
  server = await startReplayServer({ exchanges });
  sleeps = [];
  return createAnthropicModel({
    model: 'claude-sonnet-4-6',
    apiKey: anthropicKey,
    baseUrl: server.url,
    maxRetries,
    timeoutSeconds: 30,
    runtime,
  });
}
async function openai(exchanges: ReplayExchange[], maxRetries = 2): Promise<ModelPort> {
  server = await startReplayServer({ exchanges });
  sleeps = [];
  return createOpenAiModel({
    model: 'gpt-4o',
    apiKey: openAiKey,
    baseUrl: `${server.url}/v1`,
    maxRetries,
    timeoutSeconds: 30,
    runtime,
  });
}
async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
  const failure = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!ModelCallError.isModelCallError(failure)) throw new Error(`expected a ModelCallError, got ${String(failure)}`);
  return failure;
}
describe.each([
  ['anthropic', anthropic, anthropicText],
  ['openai', openai, openAiText],
] as const)('%s retries (capped policy of the adapter; the SDK never retries)', (vendor, create, success) => {
  it('429 with retry-after then success completes with one retry after the stated delay', async () => {
    const port = await create([rateLimitedFault(vendor, { retryAfterSeconds: 1 }), success]);
    const response = await port.generate(request);
    expect(response.text.length).toBeGreaterThan(0);
    expect(server?.requests.map((received) => received.servedLabel)).toEqual([
      `synthetic:${vendor}-429-${vendor === 'anthropic' ? 'rate_limit_error' : 'rate_limit_exceeded'}`,
      success.label,
    ]);
    // The adapter waited exactly what retry-after said (1 s), not its jittered default backoff.
    expect(sleeps).toEqual([1000]);
  });

  it('an overload repeated beyond maxRetries fails with kind overloaded after exactly maxRetries + 1 attempts', async () => {
    const port = await create(
      [1, 2, 3, 4].map(() => overloadedFault(vendor, { retryAfterMs: 1 })),
      2,
    );
    const failure = await failureOf(port.generate(request));
    expect(failure.kind).toBe('overloaded');
    expect(failure.code).toBe('model-call-overloaded');
    expect(server?.requests).toHaveLength(3);
    expect(server?.pending()).toBe(1);
  });

  it('a 500 is retried by the SDK and then succeeds', async () => {
    const port = await create([serverErrorFault(vendor, { retryAfterMs: 1 }), success]);
    await expect(port.generate(request)).resolves.toMatchObject({ finishReason: 'stop' });
    expect(server?.requests).toHaveLength(2);
  });

  it('a 429 with no retries left carries the retry-after the provider stated', async () => {
    const port = await create([rateLimitedFault(vendor, { retryAfterSeconds: 7 })], 0);
    const failure = await failureOf(port.generate(request));
    expect(failure.kind).toBe('rate-limited');
    expect(failure.retryAfterSeconds).toBe(7);
  });
});

describe.each([
  ['anthropic', anthropic, anthropicStream, anthropicKey],
  ['openai', openai, openAiStream, openAiKey],
] as const)('%s streams', (_vendor, create, recorded, key) => {
  it('a stream cut mid-message yields the deltas seen so far, then an error, never finish', async () => {
    const port = await create([cutStreamFault(recorded, 0.5)]);
    const collected = await collectStream(port.stream(request));
    expect(collected.parts.some((part) => part.type === 'finish')).toBe(false);
    expect(collected.parts.at(-1)?.type).toBe('error');
    expect((collected.error as ModelCallError).kind).toBe('stream-cut');
  });

  it('a stream that ends cleanly before its closing event is still a cut stream', async () => {
    const body = recorded.response.body.toString('utf8');
    const closing = body.search(/event: message_delta|"finish_reason":"stop"/);
    const frameStart = body.lastIndexOf('\n\n', closing) + 2;
    const truncated: ReplayExchange = {
      ...recorded,
      label: `synthetic:truncated(${recorded.label})`,
      synthetic: true,
      response: { ...recorded.response, body: Buffer.from(body.slice(0, frameStart), 'utf8') },
    };
    const collected = await collectStream((await create([truncated])).stream(request));
    expect(collected.text.length).toBeGreaterThan(0);
    expect(collected.parts.some((part) => part.type === 'finish')).toBe(false);
    expect((collected.error as ModelCallError).kind).toBe('stream-cut');
  });

  it('a slow first byte only delays the reply; nothing arrives before the server sends it', async () => {
    const slow = slowFirstByteFault(recorded);
    const port = await create([slow.exchange]);
    const parts: string[] = [];
    const done = (async () => {
      for await (const part of port.stream(request)) parts.push(part.type);
    })();
    await server?.waitForRequests(1);
    expect(parts).toEqual([]);
    slow.release();
    await done;
    expect(parts.at(-1)).toBe('finish');
  });

  it('an abort while waiting for the first byte ends the stream with a classified error', async () => {
    const slow = slowFirstByteFault(recorded);
    const port = await create([slow.exchange]);
    const controller = new AbortController();
    const collecting = collectStream(port.stream({ ...request, abortSignal: controller.signal }));
    await server?.waitForRequests(1);
    controller.abort();
    const collected = await collecting;
    slow.release();
    expect(collected.parts.map((part) => part.type)).toEqual(['error']);
    expect((collected.error as ModelCallError).details.aborted).toBe(true);
    expect(JSON.stringify(collected.error)).not.toContain(key);
  });
});

describe('Anthropic specifics', () => {
  it('a structured reply cut by max_tokens yields no object and finish reason length', async () => {
    const recorded = loadSseBody(
      join(defaultFixturesDirectory, 'anthropic-sdk', 'incomplete_partial_json_response.txt'),
      { method: 'POST', path: '/v1/messages' },
    );
    const port = await anthropic([recorded]);
    const collected = await collectStream(
      port.stream({ ...request, output: { name: 'make_file', schema: { type: 'object', properties: {} } } }),
    );
    expect(collected.response?.finishReason).toBe('length');
    expect(collected.response?.object).toBeUndefined();
    expect(collected.response?.text).toMatch(/^\{"filename": "taxes.txt"/);
    expect(() => JSON.parse(collected.response?.text ?? '')).toThrow();
  });

  it('an overloaded_error event mid-stream is classified overloaded and no finish is yielded', async () => {
    const collected = await collectStream((await anthropic([midStreamOverloadedFault()])).stream(request));
    expect(collected.text).toBe('Half a');
    expect(collected.parts.some((part) => part.type === 'finish')).toBe(false);
    expect((collected.error as ModelCallError).kind).toBe('overloaded');
  });

  it('marks the stable system prefix for caching and forces the output tool for structured replies', async () => {
    const port = await anthropic([fixture('anthropic-cassettes', 'test_anthropic_tool_output.yaml', 1)]);
    const response = await port.generate({
      ...request,
      output: {
        name: 'final_result',
        description: 'The answer.',
        schema: { properties: { city: { type: 'string' } } },
      },
    });
    expect(response.object).toEqual({ city: 'Mexico City', country: 'Mexico' });
    expect(response.finishReason).toBe('stop');
    const sent = server?.requests[0]?.body as Record<string, unknown>;
    expect(sent.system).toEqual([
      { type: 'text', text: 'Stable instructions.' },
      { type: 'text', text: 'Repository context.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Volatile note.' },
    ]);
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'final_result' });
    expect(sent.tools).toEqual([
      {
        name: 'final_result',
        description: 'The answer.',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ]);
    const headers = server?.requests[0]?.headers ?? {};
    expect([headers['x-api-key'], headers.authorization]).toContain(
      headers['x-api-key'] ? anthropicKey : `Bearer ${anthropicKey}`,
    );
  });
});

describe('credentials never leak into errors', () => {
  it.each([
    ['anthropic', anthropic, anthropicKey],
    ['openai', openai, openAiKey],
  ] as const)('%s 401 echoing the key is redacted and classified auth', async (vendor, create, key) => {
    const echo: ReplayExchange = {
      label: `synthetic:${vendor}-401`,
      synthetic: true,
      request: { method: 'POST', path: '/' },
      response: {
        status: 401,
        headers: [['content-type', 'application/json']],
        body: Buffer.from(
          JSON.stringify({
            type: 'error',
            error: { type: 'authentication_error', message: `invalid x-api-key ${key}` },
          }),
        ),
      },
    };
    const failure = await failureOf((await create([echo])).generate(request));
    expect(failure.kind).toBe('auth');
    expect(failure.hint).toContain(vendor === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
    expect(`${failure.message} ${failure.hint} ${JSON.stringify(failure)}`).not.toContain(key);
    expect(failure.message).toContain('[REDACTED]');
  });
});
