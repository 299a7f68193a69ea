// Providers: (1) how the offline token estimate (o200k_base + 15% margin) compares with the input tokens the vendors
// actually billed, on every recorded text-only request without tools in packages/testing/fixtures/llm; (2) the overhead of a
// call through the adapters and the real SDKs on the loopback replay server. Prints figures; never asserts.
import { createAnthropicModel, createOpenAiModel, estimateTokens } from '../packages/providers/src/index.ts';
import {
  exchangeApi,
  listCassettes,
  loadCassette,
  recordedReply,
  startReplayServer,
  wireRequestToModelRequest,
} from '../packages/testing/src/replay-server/index.ts';

type Vendor = 'anthropic' | 'openai';

function textOnly(body: Record<string, unknown>): boolean {
  if (body.tools !== undefined || body.mcp_servers !== undefined) return false;
  const messages = (body.messages as Array<{ content: unknown }> | undefined) ?? [];
  return messages.every(
    (message) =>
      typeof message.content === 'string' ||
      (Array.isArray(message.content) &&
        message.content.every((block) => (block as { type?: string }).type === 'text')),
  );
}

const ratios: Record<Vendor, number[]> = { anthropic: [], openai: [] };
for (const [folder, vendor] of [
  ['anthropic-cassettes', 'anthropic'],
  ['openai-cassettes', 'openai'],
] as const) {
  for (const exchange of listCassettes(folder).flatMap((path) => loadCassette(path))) {
    const api = exchangeApi(exchange);
    if ((api !== 'anthropic-messages' && api !== 'openai-chat-completions') || exchange.response.status !== 200)
      continue;
    const body = exchange.request.body as Record<string, unknown> | undefined;
    if (body === undefined || !textOnly(body)) continue;
    const usage = recordedReply(exchange, vendor).usage;
    const billed =
      vendor === 'anthropic'
        ? (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0)
        : (usage.prompt_tokens ?? 0);
    if (billed === 0) continue;
    ratios[vendor].push(estimateTokens(wireRequestToModelRequest(vendor, body)) / billed);
  }
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};
console.log('token estimate ÷ billed input tokens (text-only recorded requests)');
for (const vendor of ['anthropic', 'openai'] as const) {
  const values = ratios[vendor];
  const under = values.filter((ratio) => ratio < 1).length;
  console.log(
    `  ${vendor.padEnd(9)} n=${values.length}  min ${percentile(values, 0).toFixed(2)}  median ${percentile(values, 0.5).toFixed(2)}  max ${percentile(values, 1).toFixed(2)}  under-counts ${under}`,
  );
}

const calls = Number(process.env.PROVIDERS_BENCH_CALLS ?? 200);
const anthropicReply = loadCassette(
  new URL('../packages/testing/src/replay-server/fixtures/anthropic-messages-text.yaml', import.meta.url).pathname,
)[0]!;
const openAiReply = loadCassette(
  new URL('../packages/testing/src/replay-server/fixtures/openai-chat-completions-text.yaml', import.meta.url).pathname,
)[1]!;
const server = await startReplayServer();
const request = {
  system: [{ text: 'Be brief.', cacheable: true }],
  messages: [{ role: 'user' as const, content: 'Hi' }],
  maxOutputTokens: 64,
};
const ports = {
  anthropic: createAnthropicModel({
    model: 'claude-sonnet-4-6',
    apiKey: 'bench',
    baseUrl: server.url,
    maxRetries: 0,
    timeoutSeconds: 30,
  }),
  openai: createOpenAiModel({
    model: 'gpt-4o',
    apiKey: 'bench',
    baseUrl: `${server.url}/v1`,
    maxRetries: 0,
    timeoutSeconds: 30,
  }),
};
console.log(`\nadapter + SDK + loopback replay, ${calls} sequential generate() calls`);
for (const vendor of ['anthropic', 'openai'] as const) {
  const durations: number[] = [];
  for (let index = 0; index < calls; index += 1) {
    server.enqueue(vendor === 'anthropic' ? anthropicReply : openAiReply);
    const started = performance.now();
    await ports[vendor].generate(request);
    durations.push(performance.now() - started);
  }
  console.log(
    `  ${vendor.padEnd(9)} p50 ${percentile(durations, 0.5).toFixed(2)} ms  p95 ${percentile(durations, 0.95).toFixed(2)} ms  ${(calls / (durations.reduce((a, b) => a + b, 0) / 1000)).toFixed(0)} calls/s`,
  );
}
await server.close();
