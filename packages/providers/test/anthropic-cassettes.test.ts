import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ModelCallError, type ModelRequest } from '@orchestrator/spec';
import { collectStream } from '@orchestrator/testing/conformance/model-port-conformance';
import {
  defaultFixturesDirectory,
  exchangeApi,
  isStreamingExchange,
  listCassettes,
  loadCassette,
  loadNockRecording,
  loadSseBody,
  type ReplayServer,
  recordedReply,
  startReplayServer,
} from '@orchestrator/testing/replay-server/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../src/anthropic/anthropic-model.ts';

const sdkDirectory = join(defaultFixturesDirectory, 'anthropic-sdk');
const exchanges = [
  ...listCassettes('anthropic-cassettes').flatMap((path) => loadCassette(path)),
  ...loadNockRecording(join(sdkDirectory, 'ToolRunner.json'), 'anthropic-sdk/ToolRunner.json'),
  ...readdirSync(sdkDirectory)
    .filter((name) => name.endsWith('.sse') || name.endsWith('.txt'))
    .sort()
    .map((name) =>
      loadSseBody(join(sdkDirectory, name), { method: 'POST', path: '/v1/messages' }, `anthropic-sdk/${name}`),
    ),
];
const messages = exchanges.filter((exchange) => exchangeApi(exchange) === 'anthropic-messages');
const counts = exchanges.filter((exchange) => exchangeApi(exchange) === 'anthropic-count-tokens');

const request: ModelRequest = {
  system: [{ text: 'You are terse.', cacheable: true }],
  messages: [{ role: 'user', content: 'Hello' }],
  // Above every recorded output count, so replays check the recorded usage rather than the clamp to the cap.
  maxOutputTokens: 32_000,
};

/** Thinking tokens as the recording states them (`usage.output_tokens_details.thinking_tokens`, last value wins). */
function recordedThinkingTokens(body: string): number {
  const matches = [...body.matchAll(/"output_tokens_details"\s*:\s*\{[^}]*"thinking_tokens"\s*:\s*(\d+)/g)];
  return Number(matches.at(-1)?.[1] ?? 0);
}

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

function model() {
  return createAnthropicModel({
    model: 'claude-sonnet-4-6',
    apiKey: 'sk-ant-test-0000000000000000',
    baseUrl: server.url,
    maxRetries: 0,
    timeoutSeconds: 30,
  });
}

describe('Anthropic adapter replays every recorded Messages exchange', () => {
  it('found the recorded exchanges', () => {
    expect(messages.length).toBeGreaterThanOrEqual(95);
    expect(messages.filter(isStreamingExchange).length).toBeGreaterThanOrEqual(20);
  });

  it.each(messages.map((exchange) => [exchange.label, exchange] as const))('%s', async (_label, exchange) => {
    server.enqueue(exchange);
    if (exchange.response.status !== 200) {
      const failure = await model()
        .generate(request)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(ModelCallError.isModelCallError(failure)).toBe(true);
      expect((failure as ModelCallError).kind).toBe('invalid-request');
      expect((failure as ModelCallError).status).toBe(exchange.response.status);
      return;
    }
    const expected = recordedReply(exchange, 'anthropic');
    let response: Awaited<ReturnType<ReturnType<typeof model>['generate']>>;
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
    // Recordings of server-side web search bill more input than one context window; the adapter never sends server
    // tools, so for its requests such a claim is an anomaly: booked at the window and reported.
    const contextWindow = 200_000;
    const recordedInput = expected.usage.input_tokens ?? 0;
    const cacheRead = expected.usage.cache_read_input_tokens ?? 0;
    const cacheWrite = expected.usage.cache_creation_input_tokens ?? 0;
    const clamped = recordedInput + cacheRead + cacheWrite > contextWindow;
    expect(response.usage).toEqual({
      inputTokens: clamped ? contextWindow - cacheRead - cacheWrite : recordedInput,
      outputTokens: expected.usage.output_tokens ?? 0,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      reasoningTokens: recordedThinkingTokens(exchange.response.body.toString('utf8')),
    });
    expect(response.usageEstimated).toBeUndefined();
    expect(response.warnings?.some((warning) => warning.startsWith('usage-clamped')) ?? false).toBe(clamped);
    const finishReasons: Record<string, string> = {
      end_turn: 'stop',
      tool_use: 'tool-calls',
      max_tokens: 'length',
      refusal: 'refusal',
    };
    expect(response.finishReason).toBe(finishReasons[expected.stopReason ?? ''] ?? 'other');
  });
});

describe('Anthropic countTokens', () => {
  it.each(counts.map((exchange) => [exchange.label, exchange] as const))('%s', async (_label, exchange) => {
    server.enqueue(exchange);
    const count = await model().countTokens(request);
    if (exchange.response.status === 200) {
      const recorded = JSON.parse(exchange.response.body.toString('utf8')) as { input_tokens: number };
      expect(count).toEqual({ inputTokens: recorded.input_tokens, exact: true });
    } else {
      // The recorded 404 (no count endpoint) falls back to a conservative estimate.
      expect(count.exact).toBe(false);
      expect(count.inputTokens).toBeGreaterThan(0);
    }
  });
});
