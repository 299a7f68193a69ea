import type { ModelRequest } from '@orchestrator/spec';
import { collectStream } from '@orchestrator/testing/conformance/model-port-conformance';
import { cutStreamFault, type ReplayExchange, startReplayServer } from '@orchestrator/testing/replay-server/index';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOpenAiModel } from '../src/openai/openai-model.ts';
import { createModelPricing } from '../src/pricing/model-pricing.ts';
import { PriceTable } from '../src/pricing/price-table.ts';
import { estimateTokens } from '../src/tokens/estimate-tokens.ts';
import { type ReportedUsage, settleUsage } from '../src/usage/settle-usage.ts';

const request: ModelRequest = {
  system: [{ text: 'You review code changes for security problems and answer in one paragraph.' }],
  messages: [{ role: 'user', content: 'Review: export const a = eval(input);' }],
  maxOutputTokens: 4096,
};
const pricing = createModelPricing(PriceTable.bundled());
const price = (usage: Parameters<typeof pricing.costOfUsage>[0]['usage']) =>
  pricing.costOfUsage({ provider: 'openai', model: 'gpt-5', usage }) ?? Number.NaN;

describe('property: settled usage is never below what the vendor could bill, and the cap holds', () => {
  it('for any reply with missing, partial or inflated usage', () => {
    const estimate = estimateTokens(request);
    const cap = request.maxOutputTokens;
    const reservation =
      pricing.worstCaseUsd({ provider: 'openai', model: 'gpt-5', inputTokens: estimate, maxOutputTokens: cap }) ?? 0;
    fc.assert(
      fc.property(
        // What the vendor really billed: input within the prompt (our estimate over-counts), output within the cap.
        fc.integer({ min: 1, max: estimate }),
        fc.integer({ min: 0, max: cap }),
        fc.integer({ min: 0, max: 100 }),
        // What the reply says: the usage object absent, or each counter present (true, or inflated) or absent.
        fc.option(
          fc.record({
            input: fc.constantFrom('true', 'absent'),
            output: fc.constantFrom('true', 'absent', 'inflated'),
            reasoning: fc.constantFrom('true', 'absent', 'inflated'),
          }),
          { nil: undefined },
        ),
        (trueInput, trueOutput, reasoningPercent, shape) => {
          const trueReasoning = Math.floor((trueOutput * reasoningPercent) / 100);
          const reported: ReportedUsage | undefined =
            shape === undefined
              ? undefined
              : {
                  inputTokens: shape.input === 'true' ? trueInput : undefined,
                  outputTokens:
                    shape.output === 'true' ? trueOutput : shape.output === 'inflated' ? 2_000_000 : undefined,
                  reasoningTokens:
                    shape.reasoning === 'true' ? trueReasoning : shape.reasoning === 'inflated' ? 9_000_000 : undefined,
                };
          const settled = settleUsage({ provider: 'openai', request, sentMaxOutputTokens: cap, reported });
          const billable = {
            inputTokens: trueInput,
            outputTokens: trueOutput,
            cacheReadTokens: 0,
            cacheWriteTokens: 0,
            reasoningTokens: trueReasoning,
          };
          const complete = shape?.input === 'true' && shape.output === 'true';
          // Never under-counted: unless the reply stated both counters truly, the settlement is at least the bill.
          if (!complete) expect(price(settled.usage)).toBeGreaterThanOrEqual(price(billable) - 1e-12);
          else expect(settled.usage.outputTokens).toBe(trueOutput);
          expect(settled.estimated).toBe(shape === undefined || shape.input === 'absent' || shape.output === 'absent');
          // The cap holds: never more than reserved, output never above the cap, reasoning never above output.
          expect(price(settled.usage)).toBeLessThanOrEqual(reservation + 1e-12);
          expect(settled.usage.outputTokens).toBeLessThanOrEqual(cap);
          expect(settled.usage.reasoningTokens).toBeLessThanOrEqual(settled.usage.outputTokens);
          if (settled.estimated) expect(settled.warnings.join(' ')).toContain('usage-estimated');
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** A complete Chat Completions stream: a text chunk, the finish chunk, the usage chunk, `[DONE]`. */
const completeStream: ReplayExchange = {
  label: 'synthetic:openai-stream-with-usage',
  synthetic: true,
  request: { method: 'POST', path: '/v1/chat/completions' },
  response: {
    status: 200,
    headers: [['content-type', 'text/event-stream']],
    body: Buffer.from(
      [
        '{"id":"c1","object":"chat.completion.chunk","created":0,"model":"gpt-5","choices":[{"index":0,"delta":{"role":"assistant","content":"The change evaluates input."},"finish_reason":null}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":0,"model":"gpt-5","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}',
        '{"id":"c1","object":"chat.completion.chunk","created":0,"model":"gpt-5","choices":[],"usage":{"prompt_tokens":40,"completion_tokens":900,"total_tokens":940,"completion_tokens_details":{"reasoning_tokens":880}}}',
        '[DONE]',
      ]
        .map((data) => `data: ${data}\n\n`)
        .join(''),
    ),
  },
};

describe('property: a cut stream is never a success', () => {
  it('cut anywhere before its last byte, the stream ends in an error (settled in full by the gateway), never finish', async () => {
    const server = await startReplayServer();
    // api.openai.com as far as the adapter knows; the bytes come from the replay server.
    const model = createOpenAiModel({
      model: 'gpt-5',
      apiKey: 'sk-cut-00000000',
      maxRetries: 0,
      timeoutSeconds: 30,
      fetch: (input, init) => fetch(String(input).replace('https://api.openai.com', server.url), init),
    });
    const usageChunkEnd = completeStream.response.body.indexOf('data: [DONE]');
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: usageChunkEnd - 1 }), async (cutAt) => {
          server.enqueue({ ...cutStreamFault(completeStream), cutAfterBytes: cutAt });
          const collected = await collectStream(model.stream(request));
          expect(collected.parts.some((part) => part.type === 'finish')).toBe(false);
          expect(collected.parts.at(-1)?.type).toBe('error');
        }),
        { numRuns: 25 },
      );
      // The whole stream is a success with the recorded usage, reasoning included.
      server.enqueue(completeStream);
      const whole = await collectStream(model.stream(request));
      expect(whole.response?.usage).toMatchObject({ inputTokens: 40, outputTokens: 900, reasoningTokens: 880 });
      expect(whole.response?.usageEstimated).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('a stream that ends cleanly after the finish chunk but without the usage chunk is cut (OpenAI)', async () => {
    const body = completeStream.response.body.toString('utf8');
    const withoutUsage = body.slice(
      0,
      body.indexOf('data: {"id":"c1","object":"chat.completion.chunk","created":0,"model":"gpt-5","choices":[],'),
    );
    const server = await startReplayServer({
      exchanges: [{ ...completeStream, response: { ...completeStream.response, body: Buffer.from(withoutUsage) } }],
    });
    try {
      const model = createOpenAiModel({
        model: 'gpt-5',
        apiKey: 'sk-cut-00000000',
        maxRetries: 0,
        timeoutSeconds: 30,
        fetch: (input, init) => fetch(String(input).replace('https://api.openai.com', server.url), init),
      });
      const collected = await collectStream(model.stream(request));
      expect(collected.text).toBe('The change evaluates input.');
      expect(collected.parts.some((part) => part.type === 'finish')).toBe(false);
      expect(String((collected.error as Error).message)).toContain('no usage chunk after finish_reason');
    } finally {
      await server.close();
    }
  });
});
