import { ModelCallError, type ModelRequest } from '@orchestrator/spec';
import { type ReplayExchange, type ReplayServer, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnthropicModel } from '../src/anthropic/anthropic-model.ts';
import { classifyProviderError } from '../src/errors/classify-provider-error.ts';
import { createOpenAiModel } from '../src/openai/openai-model.ts';

const request: ModelRequest = { system: [], messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 16 };
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An error reply in the vendor's documented shape (synthetic). */
function errorReply(status: number, body: unknown): ReplayExchange {
  return {
    label: `synthetic:${status}`,
    synthetic: true,
    request: { method: 'POST', path: '/' },
    response: { status, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify(body)) },
  };
}

async function kindFor(vendor: 'anthropic' | 'openai', reply: ReplayExchange): Promise<string> {
  server = await startReplayServer({ exchanges: [reply] });
  const options = { model: 'm', apiKey: 'sk-test-00000000', maxRetries: 0, timeoutSeconds: 30 };
  const port =
    vendor === 'anthropic'
      ? createAnthropicModel({ ...options, baseUrl: server.url })
      : createOpenAiModel({ ...options, baseUrl: `${server.url}/v1` });
  const failure = await port.generate(request).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(ModelCallError.isModelCallError(failure)).toBe(true);
  await server.close();
  server = undefined;
  return (failure as ModelCallError).kind;
}

const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message } });
const openAiError = (code: string, message: string) => ({ error: { message, type: 'invalid_request_error', code } });

describe('provider errors are classified so the kernel can act', () => {
  it.each([
    [
      'anthropic',
      400,
      anthropicError('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'),
      'context-overflow',
    ],
    [
      'anthropic',
      413,
      anthropicError('request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
      'context-overflow',
    ],
    ['anthropic', 400, anthropicError('invalid_request_error', 'max_tokens: Field required'), 'invalid-request'],
    ['anthropic', 403, anthropicError('permission_error', 'Your API key does not have permission.'), 'auth'],
    ['anthropic', 404, anthropicError('not_found_error', 'model: claude-nope'), 'invalid-request'],
    [
      'openai',
      400,
      openAiError('context_length_exceeded', "This model's maximum context length is 128000 tokens."),
      'context-overflow',
    ],
    ['openai', 401, openAiError('invalid_api_key', 'Incorrect API key provided.'), 'auth'],
    ['openai', 422, openAiError('invalid_value', 'Invalid value for response_format.'), 'invalid-request'],
    ['openai', 503, openAiError('server_overloaded', 'The engine is currently overloaded.'), 'overloaded'],
  ] as const)('%s HTTP %i → %s', async (vendor, status, body, kind) => {
    expect(await kindFor(vendor, errorReply(status, body))).toBe(kind);
  });

  it('a connection failure is retryable before the stream started and a cut stream after', () => {
    const failure = Object.assign(new TypeError('terminated'), { name: 'TypeError' });
    const options = { provider: 'openai', keyVariable: 'OPENAI_API_KEY', secrets: [] };
    expect(classifyProviderError(failure, options).kind).toBe('retryable');
    expect(classifyProviderError(failure, { ...options, streamStarted: true }).kind).toBe('stream-cut');
  });
});
