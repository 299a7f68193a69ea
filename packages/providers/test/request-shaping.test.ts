import type { ModelRequest } from '@orchestrator/spec';
import { collectStream } from '@orchestrator/testing/conformance/model-port-conformance';
import { type ReplayExchange, type ReplayServer, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../src/anthropic/anthropic-model.ts';
import { bundledCapabilities, shapeOptions } from '../src/capabilities/model-capabilities.ts';
import { createOpenAiModel } from '../src/openai/openai-model.ts';

const request: ModelRequest = {
  system: [{ text: 'Be terse.' }],
  messages: [{ role: 'user', content: 'Hi' }],
  maxOutputTokens: 16_000,
};
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sseExchange = (path: string, events: string[]): ReplayExchange => ({
  label: 'synthetic:sse',
  synthetic: true,
  request: { method: 'POST', path },
  response: { status: 200, headers: [['content-type', 'text/event-stream']], body: Buffer.from(events.join('')) },
});
const jsonExchange = (path: string, body: unknown): ReplayExchange => ({
  label: 'synthetic:json',
  synthetic: true,
  request: { method: 'POST', path },
  response: { status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify(body)) },
});
const messageStart = (inputTokens: number) =>
  `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":${inputTokens},"output_tokens":1}}}\n\n`;
const anthropicReply = [
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Plan."}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello."}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":310,"output_tokens_details":{"thinking_tokens":290}}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
];

async function anthropic(exchanges: ReplayExchange[], reasoningEffort?: 'low' | 'medium' | 'high') {
  server = await startReplayServer({ exchanges });
  return createAnthropicModel({
    model: 'claude-sonnet-4-5',
    apiKey: 'sk-ant-shape-00000000',
    baseUrl: server.url,
    maxRetries: 0,
    timeoutSeconds: 30,
    ...(reasoningEffort === undefined ? {} : { reasoningEffort }),
  });
}

describe('Anthropic streams', () => {
  it('a duplicated message_start (LiteLLM and other gateways) is tolerated and reported', async () => {
    const port = await anthropic([
      sseExchange('/v1/messages', [messageStart(12), messageStart(12), ...anthropicReply]),
    ]);
    const collected = await collectStream(port.stream(request));
    expect(collected.error).toBeUndefined();
    expect(collected.response?.text).toBe('Hello.');
    expect(collected.response?.warnings).toContain('stream-anomaly: a duplicated message_start was ignored.');
  });

  it('thinking tokens are counted (reasoningTokens), not reported as 0', async () => {
    const port = await anthropic([sseExchange('/v1/messages', [messageStart(12), ...anthropicReply])]);
    const collected = await collectStream(port.stream(request));
    expect(collected.response?.usage).toMatchObject({ inputTokens: 12, outputTokens: 310, reasoningTokens: 290 });
  });
});

describe('requests are shaped by the capability table', () => {
  it('Anthropic: a reasoning effort becomes a thinking budget below max_tokens, and temperature is not sent with it', async () => {
    const port = await anthropic([sseExchange('/v1/messages', [messageStart(12), ...anthropicReply])], 'medium');
    const collected = await collectStream(port.stream({ ...request, temperature: 0.3 }));
    const sent = server?.requests[0]?.body as Record<string, unknown>;
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(sent.max_tokens).toBe(16_000);
    expect(sent).not.toHaveProperty('temperature');
    expect(collected.response?.warnings?.join('\n')).toContain('does not take temperature while it reasons');
  });

  it('Anthropic: structured replies (a forced tool) get no thinking, with a warning', async () => {
    const port = await anthropic([sseExchange('/v1/messages', [messageStart(12), ...anthropicReply])], 'high');
    const collected = await collectStream(
      port.stream({ ...request, output: { name: 'answer', schema: { type: 'object' } } }),
    );
    expect(server?.requests[0]?.body).not.toHaveProperty('thinking');
    expect(collected.response?.warnings?.join('\n')).toContain('thinking is off for structured replies');
  });

  it('OpenAI: an output cap above the model maximum is lowered and the effort mapped, both reported', async () => {
    server = await startReplayServer({
      exchanges: [
        jsonExchange('/v1/chat/completions', {
          id: 'c1',
          object: 'chat.completion',
          created: 0,
          model: 'gpt-4o',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
        }),
      ],
    });
    const port = createOpenAiModel({
      model: 'gpt-4o',
      apiKey: 'sk-shape-00000000',
      baseUrl: `${server.url}/v1`,
      maxRetries: 0,
      timeoutSeconds: 30,
      reasoningEffort: 'high',
    });
    const response = await port.generate({ ...request, maxOutputTokens: 50_000 });
    const sent = server.requests[0]?.body as Record<string, unknown>;
    expect(sent.max_completion_tokens).toBe(16_384);
    expect(sent).not.toHaveProperty('reasoning_effort');
    expect(response.warnings).toEqual([
      "option-lowered: maxOutputTokens 50000 is above gpt-4o's maximum; sent 16384.",
      'option-dropped: gpt-4o has no reasoning control; reasoning.effort ignored.',
    ]);
  });

  it('a reply without usage is booked at the full reservation and marked estimated', async () => {
    server = await startReplayServer({
      exchanges: [
        jsonExchange('/v1/chat/completions', {
          id: 'c1',
          object: 'chat.completion',
          created: 0,
          model: 'llama3.1',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        }),
      ],
    });
    const port = createOpenAiModel({
      model: 'llama3.1',
      apiKey: 'sk-shape-00000000',
      baseUrl: `${server.url}/v1`,
      maxRetries: 0,
      timeoutSeconds: 30,
    });
    const response = await port.generate(request);
    expect(response.usageEstimated).toBe(true);
    expect(response.usage.outputTokens).toBe(16_000);
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.warnings?.[0]).toMatch(/^usage-estimated: /);
  });

  it.each([
    ['openai', 'gpt-5-codex', 'never', 'max_completion_tokens'],
    ['openai', 'gpt-5.4-2026-03-01', 'without-reasoning', 'max_completion_tokens'],
    ['openai', 'o4-mini', 'never', 'max_completion_tokens'],
    ['openai', 'gpt-4.1-mini', 'always', 'max_completion_tokens'],
    ['openai-compatible', 'qwen2.5-coder', 'always', 'max_tokens'],
    ['anthropic', 'claude-opus-4-5-20251101', 'without-reasoning', 'max_completion_tokens'],
  ] as const)('%s %s: temperature %s, %s', (provider, model, temperature, param) => {
    const capability = bundledCapabilities().find(provider, model);
    expect(capability.temperature).toBe(temperature);
    expect(capability.chatOutputParam).toBe(param);
  });

  it('gpt-5.x takes temperature only with reasoning explicitly off', () => {
    const capability = bundledCapabilities().find('openai', 'gpt-5.4');
    expect(shapeOptions(capability, 'gpt-5.4', { ...request, temperature: 0 }, undefined).temperature).toBeUndefined();
    expect(shapeOptions(capability, 'gpt-5.4', { ...request, temperature: 0 }, 'none').temperature).toBe(0);
  });
});
