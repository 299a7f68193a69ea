import {
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type ModelStreamPart,
} from '@orchestrator/spec';
import { afterAll, describe, expect, it } from 'vitest';

/** What a stream produced, in order. */
export interface CollectedStream {
  parts: ModelStreamPart[];
  /** Concatenated text deltas. */
  text: string;
  /** The `finish` response, when the stream completed. */
  response?: ModelResponse;
  /** The `error` part's error, when it failed. */
  error?: unknown;
}

/** Drains a Model port stream. */
export async function collectStream(stream: AsyncIterable<ModelStreamPart>): Promise<CollectedStream> {
  const parts: ModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  const finish = parts.find((part) => part.type === 'finish');
  const failure = parts.find((part) => part.type === 'error');
  return {
    parts,
    text: parts.map((part) => (part.type === 'text-delta' ? part.delta : '')).join(''),
    ...(finish === undefined ? {} : { response: finish.response }),
    ...(failure === undefined ? {} : { error: failure.error }),
  };
}

/**
 * The replies a harness must arrange for each conformance case:
 * - `text`: a plain text reply (complete or streamed, per `streaming`);
 * - `structured`: a structured reply to `request.output` (named `final_result`, an object with string `city` and `country`);
 * - `cut-stream`: a streamed reply whose connection drops mid-message;
 * - `overloaded`: the provider is overloaded on every attempt (beyond the SDK's retries);
 * - `count`: a token count (harnesses whose adapter calls a vendor counter arrange its reply).
 */
export type ConformanceScenario = 'text' | 'structured' | 'cut-stream' | 'overloaded' | 'count';

export interface ConformanceCase {
  scenario: ConformanceScenario;
  streaming: boolean;
  request: ModelRequest;
}

export interface ModelPortConformanceSetup {
  /** Shown in test names, e.g. `anthropic (replay server)`. */
  name: string;
  /** A port for one case, with the matching reply arranged (queued on a replay server, scripted, …). */
  create(testCase: ConformanceCase): ModelPort | Promise<ModelPort>;
  /** Whether the harness can inject faults (cut streams, overload). Scripted models may not. */
  supportsFaults: boolean;
  /**
   * Whether the structured reply is the arranged `final_result` city/country object (default true). A model that
   * answers from its own script (the scripted model) sets false: the suite then checks only that it is a JSON object.
   */
  checksStructuredShape?: boolean;
  /** Cleanup after all cases (close servers). */
  close?(): Promise<void>;
}

/** The structured output every harness must be able to answer. */
export const conformanceOutput = {
  name: 'final_result',
  description: 'The final answer: a city and its country.',
  schema: {
    type: 'object',
    properties: { city: { type: 'string' }, country: { type: 'string' } },
    required: ['city', 'country'],
  },
} as const;

function request(output: boolean): ModelRequest {
  return {
    system: [
      { text: 'You are a careful assistant. Answer briefly.', cacheable: true },
      { text: 'Session note: conformance check.' },
    ],
    messages: [{ role: 'user', content: 'What is the largest city in the user country?' }],
    maxOutputTokens: 512,
    ...(output ? { output: { ...conformanceOutput, schema: { ...conformanceOutput.schema } } } : {}),
    context: { role: 'architect', task: 'conformance' },
  };
}

function expectUsage(response: ModelResponse): void {
  for (const value of Object.values(response.usage)) {
    expect(Number.isInteger(value) && value >= 0).toBe(true);
  }
  expect(response.usage.inputTokens + response.usage.cacheReadTokens + response.usage.cacheWriteTokens).toBeGreaterThan(
    0,
  );
  expect(response.usage.outputTokens).toBeGreaterThan(0);
  expect(response.usage.reasoningTokens).toBeLessThanOrEqual(response.usage.outputTokens);
}

/** Registers the Model port conformance tests for one adapter. Call inside a test file. */
export function describeModelPortConformance(setup: ModelPortConformanceSetup): void {
  describe(`Model port conformance: ${setup.name}`, () => {
    afterAll(async () => {
      await setup.close?.();
    });

    it('declares version v1, a provider and a model id', async () => {
      const port = await setup.create({ scenario: 'text', streaming: false, request: request(false) });
      expect(port.specificationVersion).toBe('v1');
      expect(port.provider).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(port.modelId.length).toBeGreaterThan(0);
      await port.generate(request(false));
    });

    it('generate returns the complete text, a finish reason, usage and the served model id', async () => {
      const testCase: ConformanceCase = { scenario: 'text', streaming: false, request: request(false) };
      const response = await (await setup.create(testCase)).generate(testCase.request);
      expect(response.text.length).toBeGreaterThan(0);
      expect(response.finishReason).toBe('stop');
      expect(response.modelId.length).toBeGreaterThan(0);
      expectUsage(response);
    });

    it('stream yields text deltas that add up to the text of exactly one final finish part', async () => {
      const testCase: ConformanceCase = { scenario: 'text', streaming: true, request: request(false) };
      const collected = await collectStream((await setup.create(testCase)).stream(testCase.request));
      expect(collected.error).toBeUndefined();
      expect(collected.parts.filter((part) => part.type === 'finish')).toHaveLength(1);
      expect(collected.parts.at(-1)?.type).toBe('finish');
      expect(collected.response?.text).toBe(collected.text);
      expect(collected.text.length).toBeGreaterThan(0);
      if (collected.response !== undefined) expectUsage(collected.response);
    });

    it('structured output returns the object, and text is its JSON', async () => {
      const testCase: ConformanceCase = { scenario: 'structured', streaming: false, request: request(true) };
      const response = await (await setup.create(testCase)).generate(testCase.request);
      expect(typeof response.object === 'object' && response.object !== null).toBe(true);
      expect(JSON.parse(response.text)).toEqual(response.object);
      if (setup.checksStructuredShape !== false) {
        expect(response.object).toMatchObject({ city: expect.any(String), country: expect.any(String) });
      }
      expectUsage(response);
    });

    it('countTokens returns a positive whole number and says whether it is exact', async () => {
      const testCase: ConformanceCase = { scenario: 'count', streaming: false, request: request(true) };
      const count = await (await setup.create(testCase)).countTokens(testCase.request);
      expect(Number.isInteger(count.inputTokens) && count.inputTokens > 0).toBe(true);
      expect(typeof count.exact).toBe('boolean');
    });

    it.runIf(setup.supportsFaults)('a cut stream never yields finish; it ends with a stream-cut error', async () => {
      const testCase: ConformanceCase = { scenario: 'cut-stream', streaming: true, request: request(false) };
      const collected = await collectStream((await setup.create(testCase)).stream(testCase.request));
      expect(collected.parts.some((part) => part.type === 'finish')).toBe(false);
      expect(collected.parts.at(-1)?.type).toBe('error');
      expect(ModelCallError.isModelCallError(collected.error)).toBe(true);
      expect((collected.error as ModelCallError).kind).toBe('stream-cut');
    });

    it.runIf(setup.supportsFaults)('an overload beyond the SDK retries rejects with kind overloaded', async () => {
      const testCase: ConformanceCase = { scenario: 'overloaded', streaming: false, request: request(false) };
      const port = await setup.create(testCase);
      const failure = await port.generate(testCase.request).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ModelCallError.isModelCallError(failure)).toBe(true);
      expect((failure as ModelCallError).kind).toBe('overloaded');
      expect((failure as ModelCallError).transient).toBe(true);
    });

    it('an already aborted call fails instead of answering', async () => {
      const testCase: ConformanceCase = { scenario: 'text', streaming: false, request: request(false) };
      const port = await setup.create(testCase);
      await expect(port.generate({ ...testCase.request, abortSignal: AbortSignal.abort() })).rejects.toBeDefined();
    });
  });
}
