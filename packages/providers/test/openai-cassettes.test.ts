import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRequest, ModelResponse } from '@orchestrator/spec';
import { ModelCallError } from '@orchestrator/spec';
import { collectStream } from '@orchestrator/testing/conformance/model-port-conformance';
import {
  defaultFixturesDirectory,
  exchangeApi,
  isStreamingExchange,
  listCassettes,
  loadCassette,
  loadSseBody,
  type ReplayExchange,
  type ReplayServer,
  recordedReply,
  startReplayServer,
} from '@orchestrator/testing/replay-server/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiModel } from '../src/openai/openai-model.ts';

const cassetteExchanges = listCassettes('openai-cassettes')
  .flatMap((path) => loadCassette(path))
  .filter((exchange) => exchangeApi(exchange) === 'openai-chat-completions');
const sseDirectory = join(defaultFixturesDirectory, 'openai-sse');
const sseExchanges = readdirSync(sseDirectory)
  .sort()
  .map((name) =>
    loadSseBody(join(sseDirectory, name), { method: 'POST', path: '/v1/chat/completions' }, `openai-sse/${name}`),
  );

const request: ModelRequest = {
  system: [{ text: 'You are terse.', cacheable: true }],
  messages: [{ role: 'user', content: 'Hello' }],
  // Above every recorded output count, so replays check the recorded usage rather than the clamp to the cap.
  maxOutputTokens: 16_000,
};

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

function model(id = 'gpt-4o') {
  return createOpenAiModel({
    model: id,
    apiKey: 'sk-test-0000000000000000',
    baseUrl: `${server.url}/v1`,
    maxRetries: 0,
    timeoutSeconds: 30,
  });
}

const finishReasons: Record<string, ModelResponse['finishReason']> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  content_filter: 'content-filter',
};

async function replay(exchange: ReplayExchange): Promise<void> {
  server.enqueue(exchange);
  if (exchange.response.status !== 200) {
    const failure = await model()
      .generate(request)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(ModelCallError.isModelCallError(failure)).toBe(true);
    const status = exchange.response.status;
    expect((failure as ModelCallError).kind).toBe(status === 429 ? 'rate-limited' : 'invalid-request');
    expect((failure as ModelCallError).status).toBe(status);
    return;
  }
  const expected = recordedReply(exchange, 'openai');
  let response: ModelResponse;
  if (isStreamingExchange(exchange)) {
    const collected = await collectStream(model().stream(request));
    expect(collected.error).toBeUndefined();
    expect(collected.parts.at(-1)?.type).toBe('finish');
    expect(collected.text).toBe(expected.text);
    response = collected.response!;
  } else {
    response = await model().generate(request);
  }
  expect(response.text).toBe(expected.text);
  expect(response.modelId).toBe(expected.model);
  expect((response.toolCalls ?? []).map(({ name, input }) => ({ name, input }))).toEqual(expected.toolCalls);
  const cached = expected.usage['prompt.cached_tokens'] ?? 0;
  expect(response.usage).toEqual({
    inputTokens: (expected.usage.prompt_tokens ?? 0) - cached,
    outputTokens: expected.usage.completion_tokens ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    reasoningTokens: expected.usage['completion.reasoning_tokens'] ?? 0,
  });
  expect(response.finishReason).toBe(
    expected.refusal === '' ? (finishReasons[expected.stopReason ?? ''] ?? 'other') : 'refusal',
  );
}

describe('OpenAI adapter replays every recorded Chat Completions exchange', () => {
  it('found the recorded exchanges', () => {
    expect(cassetteExchanges.length).toBeGreaterThanOrEqual(30);
    expect(sseExchanges).toHaveLength(12);
  });
  it.each(cassetteExchanges.map((exchange) => [exchange.label, exchange] as const))('%s', async (_label, exchange) => {
    await replay(exchange);
  });
  it.each(sseExchanges.map((exchange) => [exchange.label, exchange] as const))('%s', async (_label, exchange) => {
    await replay(exchange);
  });
});

describe('OpenAI requests', () => {
  it('asks for usage in streams and for a json_schema reply on structured output', async () => {
    server.enqueue(sseExchanges[0]!);
    await collectStream(
      model('llama3.1').stream({
        ...request,
        output: { name: 'final_result', schema: { type: 'object', properties: {} } },
      }),
    );
    const sent = server.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.stream).toBe(true);
    expect(sent.stream_options).toEqual({ include_usage: true });
    expect(sent.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'final_result' } });
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hello' },
    ]);
    // An unknown model on a non-OpenAI base URL gets the widely supported max_tokens.
    expect(sent.max_tokens).toBe(16_000);
    expect(sent.max_completion_tokens).toBeUndefined();
  });

  it('a known OpenAI family keeps max_completion_tokens behind any base URL (Azure, gateways)', async () => {
    server.enqueue(sseExchanges[0]!);
    await collectStream(model('gpt-5-mini').stream({ ...request, temperature: 0 }));
    const sent = server.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent.max_completion_tokens).toBe(16_000);
    expect(sent).not.toHaveProperty('max_tokens');
    expect(sent).not.toHaveProperty('temperature');
  });
});
