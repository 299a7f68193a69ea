import { OrchestratorError, type RoleBinding } from '@orchestrator/spec';
import { bundledTextExchange, type ReplayServer, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { afterEach, describe, expect, it } from 'vitest';
import { createModel } from '../src/create-model.ts';

const anthropic: RoleBinding = { provider: 'anthropic', model: 'claude-sonnet-4-6', maxOutputTokens: 1024 };
const openai: RoleBinding = { provider: 'openai', model: 'llama3.2', maxOutputTokens: 1024 };
let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return OrchestratorError.isInstance(error) ? error.code : 'not-an-orchestrator-error';
  }
  return undefined;
}

describe('createModel', () => {
  it('refuses anthropic without a key, naming the variable to set', () => {
    expect(codeOf(() => createModel(anthropic, {}, {}))).toBe('model-auth');
  });

  it('refuses openai with neither key nor base URL', () => {
    expect(codeOf(() => createModel(openai, {}, {}))).toBe('model-auth');
  });

  it('serves an OpenAI-compatible server from OPENAI_BASE_URL without a key', async () => {
    server = await startReplayServer({ exchanges: [bundledTextExchange('openai')] });
    const port = createModel(openai, {}, { OPENAI_BASE_URL: `${server.url}/v1` });
    expect(port.provider).toBe('openai');
    expect(port.modelId).toBe('llama3.2');
    const response = await port.generate({
      system: [],
      messages: [{ role: 'user', content: 'hi' }],
      maxOutputTokens: 8,
    });
    expect(response.text).toContain('Mexico City');
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer not-needed');
  });

  it('prefers the config base URL over the environment and passes the retry setting to the SDK', async () => {
    server = await startReplayServer({ exchanges: [bundledTextExchange('anthropic')] });
    const port = createModel(
      anthropic,
      { anthropic: { baseUrl: server.url, maxRetries: 0, timeoutSeconds: 30 } },
      { ANTHROPIC_API_KEY: 'sk-ant-test-000000000000', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    );
    const response = await port.generate({
      system: [],
      messages: [{ role: 'user', content: 'hi' }],
      maxOutputTokens: 8,
    });
    expect(response.modelId).toMatch(/^claude-/);
    expect(server.requests[0]?.headers['x-stainless-retry-count']).toBe('0');
  });

  it('builds the scripted model through the factory it is given, and rejects unknown providers', () => {
    const binding: RoleBinding = { provider: 'scripted', model: 'scripted-v1', maxOutputTokens: 64 };
    expect(codeOf(() => createModel(binding, {}, {}))).toBe('provider-scripted-unavailable');
    const port = createModel(
      binding,
      {},
      {},
      { scripted: () => createModel(openai, {}, { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }) },
    );
    expect(port.modelId).toBe('llama3.2');
    expect(codeOf(() => createModel({ ...binding, provider: 'gemini' }, {}, {}))).toBe('provider-unknown');
  });
});
