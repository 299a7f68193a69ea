import type { ModelRequest, ModelResponse } from '@orchestrator/spec';
import { collectStream } from '@orchestrator/testing/conformance/model-port-conformance';
import {
  isStreamingExchange,
  listCassettes,
  loadCassette,
  type ReplayExchange,
  type ReplayServer,
  startReplayServer,
} from '@orchestrator/testing/replay-server/index';
import { recordedResponsesReply } from '@orchestrator/testing/replay-server/recorded-responses-reply';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiResponsesModel } from '../src/openai/responses-model.ts';

// Every response-creating exchange (POST /v1/responses) of the recordings. Not replayed: /v1/responses/compact,
// background polling (GET /v1/responses/<id>) and /v1/conversations, which the adapter never calls.
const exchanges = listCassettes('openai-responses-cassettes')
  .flatMap((path) => loadCassette(path))
  .filter((exchange) => exchange.request.method === 'POST' && exchange.request.path.endsWith('/responses'));

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

const recordedModel = (exchange: ReplayExchange) => String((exchange.request.body as { model?: string }).model);
const model = (id: string) =>
  createOpenAiResponsesModel({
    model: id,
    apiKey: 'sk-test-0000000000000000',
    baseUrl: `${server.url}/v1`,
    maxRetries: 0,
    timeoutSeconds: 30,
  });

function expectedFinish(reply: ReturnType<typeof recordedResponsesReply>): ModelResponse['finishReason'] {
  if (reply.refusal !== '') return 'refusal';
  if (reply.status === 'incomplete') return reply.incompleteReason === 'max_output_tokens' ? 'length' : 'other';
  if (reply.status !== 'completed') return 'other';
  return reply.toolCalls.length > 0 ? 'tool-calls' : 'stop';
}

describe('the Responses adapter replays every recorded /v1/responses exchange', () => {
  it('found the recorded exchanges, streamed and not, with reasoning, tool calls and cached tokens', () => {
    expect(exchanges.length).toBeGreaterThanOrEqual(35);
    expect(exchanges.filter(isStreamingExchange).length).toBeGreaterThanOrEqual(5);
    const replies = exchanges.map(recordedResponsesReply);
    expect(replies.some((reply) => reply.encryptedReasoningItems > 0)).toBe(true);
    expect(replies.some((reply) => reply.toolCalls.length > 0)).toBe(true);
    expect(replies.some((reply) => (reply.usage?.reasoning ?? 0) > 0)).toBe(true);
    // No recording has a prompt-cache hit (all record cached_tokens 0): the synthetic reply below covers them.
    expect(replies.every((reply) => (reply.usage?.cached ?? 0) === 0)).toBe(true);
  });

  it.each(exchanges.map((exchange) => [exchange.label, exchange] as const))('%s', async (_label, exchange) => {
    server.enqueue(exchange);
    const expected = recordedResponsesReply(exchange);
    const port = model(recordedModel(exchange));
    let response: ModelResponse;
    if (isStreamingExchange(exchange)) {
      const collected = await collectStream(port.stream(request));
      expect(collected.error).toBeUndefined();
      expect(collected.parts.at(-1)?.type).toBe('finish');
      expect(collected.text).toBe(expected.streamedText);
      response = collected.response as ModelResponse;
    } else {
      response = await port.generate(request);
    }
    expect(response.text).toBe(expected.text);
    expect(response.modelId).toBe(expected.model);
    expect((response.toolCalls ?? []).map(({ name, input }) => ({ name, input }))).toEqual(expected.toolCalls);
    expect(response.finishReason).toBe(expectedFinish(expected));
    if (expected.usage === undefined) {
      expect(response.usageEstimated).toBe(true);
    } else {
      const cached = expected.usage.cached ?? 0;
      expect(response.usage).toEqual({
        inputTokens: (expected.usage.input ?? 0) - cached,
        outputTokens: expected.usage.output ?? 0,
        cacheReadTokens: cached,
        cacheWriteTokens: 0,
        reasoningTokens: expected.usage.reasoning ?? 0,
      });
      expect(response.usageEstimated).toBeUndefined();
    }
    const sent = server.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({ model: recordedModel(exchange), store: false, max_output_tokens: 16_000 });
  });
});

describe('Responses usage, requests and reasoning carried across a step', () => {
  const reply = (output: unknown[], usage: unknown): ReplayExchange => ({
    label: 'synthetic:responses-reply',
    synthetic: true,
    request: { method: 'POST', path: '/v1/responses' },
    response: {
      status: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(
        JSON.stringify({
          id: 'resp_1',
          object: 'response',
          created_at: 0,
          status: 'completed',
          model: 'gpt-5-2025-08-07',
          output,
          usage,
        }),
      ),
    },
  });
  const reasoningItem = { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'gAAAA-encrypted' };
  const message = (text: string) => ({
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  });
  const usage = {
    input_tokens: 2000,
    input_tokens_details: { cached_tokens: 1200 },
    output_tokens: 700,
    output_tokens_details: { reasoning_tokens: 650 },
    total_tokens: 2700,
  };

  it('cached and reasoning tokens are booked apart; the request carries the cache key, effort and encrypted reasoning', async () => {
    server.enqueue(reply([reasoningItem, message('{"a":1}')], usage));
    const port = createOpenAiResponsesModel({
      model: 'gpt-5',
      apiKey: 'sk-test-0000000000000000',
      baseUrl: `${server.url}/v1`,
      maxRetries: 0,
      timeoutSeconds: 30,
      reasoningEffort: 'low',
    });
    const response = await port.generate({
      ...request,
      temperature: 0,
      output: { name: 'answer', schema: { type: 'object' } },
    });
    expect(response.usage).toEqual({
      inputTokens: 800,
      outputTokens: 700,
      cacheReadTokens: 1200,
      cacheWriteTokens: 0,
      reasoningTokens: 650,
    });
    expect(response.object).toEqual({ a: 1 });
    expect(response.modelId).toBe('gpt-5-2025-08-07');
    const sent = server.requests.at(-1)?.body as Record<string, unknown>;
    expect(sent).toMatchObject({
      instructions: 'You are terse.',
      store: false,
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low' },
      text: { format: { type: 'json_schema', name: 'answer', strict: false } },
    });
    expect(String(sent.prompt_cache_key)).toMatch(/^orc-[0-9a-f]{40}$/);
    expect(sent).not.toHaveProperty('temperature');
    expect(response.warnings).toContain('option-dropped: gpt-5 does not take temperature; not sent.');
  });

  it("a step's second call sends the first reply's reasoning item (encrypted) back before that reply", async () => {
    const port = model('gpt-5');
    const step = { ...request, context: { stepId: 'step-7' } };
    server.enqueue(reply([reasoningItem, message('first answer')], usage));
    await port.generate(step);
    server.enqueue(reply([message('second answer')], usage));
    await port.generate({
      ...step,
      messages: [
        ...step.messages,
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: 'Fix it.' },
      ],
    });
    const input = (server.requests.at(-1)?.body as { input?: unknown[] } | undefined)?.input;
    expect(input).toEqual([
      { role: 'user', content: 'Hello' },
      { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAA-encrypted' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'Fix it.' },
    ]);
  });
});
