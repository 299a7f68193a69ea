import { MessageBus, NoCapBudgetLedger, startRun } from '@orchestrator/kernel';
import { reviewWithModel } from '@orchestrator/policy';
import type { RecordedRole, RoleBinding } from '@orchestrator/spec';
import { InMemoryJournalStore, InMemoryWorkspaceProvider, ScriptedModel } from '@orchestrator/testing';
import {
  type ReplayExchange,
  type ReplayServer,
  scriptedWireResponder,
  startReplayServer,
} from '@orchestrator/testing/replay-server/index';
import { scriptedResponsesResponder } from '@orchestrator/testing/replay-server/scripted-responses-wire';
import { afterEach, describe, expect, it } from 'vitest';
import { createModel } from '../src/create-model.ts';
import { pingModel } from '../src/ping/ping-model.ts';
import { createModelPricing } from '../src/pricing/model-pricing.ts';
import { PriceTable } from '../src/pricing/price-table.ts';

/*
 * A stub that answers exactly like GPT-5 on the parameters it rejects (HTTP 400 bodies as OpenAI sends them for
 * reasoning models; SYNTHETIC, built from the documented error shape) and otherwise answers as the scripted model.
 * Served behind a non-OpenAI base URL, like Azure or a gateway: the capability table, not the URL, must decide.
 */
const rejections: Array<{
  param: string;
  message: string;
  code: string;
  rejects: (body: Record<string, unknown>) => boolean;
}> = [
  {
    param: 'temperature',
    code: 'unsupported_value',
    message:
      "Unsupported value: 'temperature' does not support 0.2 with this model. Only the default (1) value is supported.",
    rejects: (body) => 'temperature' in body,
  },
  {
    param: 'max_tokens',
    code: 'unsupported_parameter',
    message:
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    rejects: (body) => 'max_tokens' in body,
  },
  {
    param: 'max_completion_tokens',
    code: 'unknown_parameter',
    message: "Unknown parameter: 'max_completion_tokens'.",
    rejects: (body) => 'input' in body && 'max_completion_tokens' in body,
  },
  {
    param: 'reasoning_effort',
    code: 'unknown_parameter',
    message:
      "Unsupported parameter: 'reasoning_effort'. In the Responses API, this parameter has moved to 'reasoning.effort'.",
    rejects: (body) => 'input' in body && 'reasoning_effort' in body,
  },
  {
    param: 'top_p',
    code: 'unsupported_parameter',
    message: "Unsupported parameter: 'top_p' is not supported with this model.",
    rejects: (body) => 'top_p' in body,
  },
];

function gpt5Rejection(body: Record<string, unknown>): ReplayExchange | undefined {
  const rejection = rejections.find((candidate) => candidate.rejects(body));
  if (rejection === undefined) return undefined;
  return {
    label: `synthetic:gpt-5-rejects-${rejection.param}`,
    synthetic: true,
    request: { method: 'POST', path: '/v1/*' },
    response: {
      status: 400,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(
        JSON.stringify({
          error: {
            message: rejection.message,
            type: 'invalid_request_error',
            param: rejection.param,
            code: rejection.code,
          },
        }),
      ),
    },
  };
}

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function gpt5Stub(): Promise<ReplayServer> {
  const model = new ScriptedModel();
  const chat = scriptedWireResponder(model);
  const responses = scriptedResponsesResponder(model);
  server = await startReplayServer({
    respond: async (request) =>
      gpt5Rejection((request.body ?? {}) as Record<string, unknown>) ??
      (await responses(request)) ??
      (await chat(request)),
  });
  return server;
}

/** Every request went to the API under test. */
function expectApi(stub: ReplayServer, api: 'chat-completions' | 'responses'): void {
  const suffix = api === 'responses' ? '/responses' : '/chat/completions';
  expect(stub.requests.length).toBeGreaterThan(0);
  expect(stub.requests.filter((request) => !request.path.endsWith(suffix))).toEqual([]);
}

function rejected(stub: ReplayServer): string[] {
  return stub.requests
    .map((request) => request.servedLabel)
    .filter((label) => label.startsWith('synthetic:gpt-5-rejects'));
}

const binding: RoleBinding = { provider: 'openai', model: 'gpt-5', maxOutputTokens: 4096, temperature: 0.2 };
const apis = ['chat-completions', 'responses'] as const;
type Api = (typeof apis)[number];
const settings = (stub: ReplayServer, api: Api = 'chat-completions') => ({
  openai: { baseUrl: `${stub.url}/v1`, maxRetries: 0, timeoutSeconds: 30, api },
});
const env = { OPENAI_API_KEY: 'sk-gpt5-stub-00000000' };

describe('a GPT-5 stub (400 for temperature, for max_tokens) is never triggered', () => {
  it('the stub does reject what GPT-5 rejects (so the checks below can fail)', async () => {
    const stub = await gpt5Stub();
    const response = await fetch(`${stub.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5', max_tokens: 10, temperature: 0, messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(rejected(stub)).toHaveLength(1);
  });

  it.each(apis)('through the roles of a run on %s (temperature and reasoning effort configured)', async (api) => {
    const stub = await gpt5Stub();
    const roles: RecordedRole[] = ['architect', 'builder', 'critic'].map((role) => ({
      role,
      provider: 'openai',
      model: 'gpt-5',
      maxOutputTokens: 4096,
      temperature: 0.2,
    }));
    const result = await startRun(
      {
        store: new InMemoryJournalStore(),
        workspaces: new InMemoryWorkspaceProvider({ 'README.md': '# demo\n' }),
        ledger: new NoCapBudgetLedger(),
        pricing: createModelPricing(PriceTable.bundled()),
        bus: new MessageBus(),
        modelFor: (role: RecordedRole) =>
          createModel({ ...binding, model: role.model, reasoning: { effort: 'high' } }, settings(stub, api), env),
      },
      {
        task: 'add a README section',
        repo: '/repo',
        roles,
        limits: { maxTurns: 12, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 },
      },
    );
    expect(result.status).toBe('converged');
    expect(rejected(stub)).toEqual([]);
    const sent = stub.requests.map((request) => request.body as Record<string, unknown>);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(
      stub.requests.every((request) => request.path.endsWith(api === 'responses' ? '/responses' : '/chat/completions')),
    ).toBe(true);
    for (const body of sent) {
      expect(body).toMatchObject(
        api === 'responses'
          ? { max_output_tokens: 4096, reasoning: { effort: 'high' } }
          : { max_completion_tokens: 4096, reasoning_effort: 'high' },
      );
      expect(body).not.toHaveProperty('temperature');
    }
  });

  it.each(apis)('through the model reviewer on %s', async (api) => {
    const stub = await gpt5Stub();
    const diff = 'diff --git a/a.js b/a.js\n--- a/a.js\n+++ b/a.js\n@@ -0,0 +1 @@\n+export const a = 1;\n';
    const findings = await reviewWithModel(createModel(binding, settings(stub, api), env), diff, { temperature: 0 });
    expect(Array.isArray(findings)).toBe(true);
    expect(rejected(stub)).toEqual([]);
    expectApi(stub, api);
  });

  it.each(apis)('through providers ping on %s', async (api) => {
    const stub = await gpt5Stub();
    const outcome = await pingModel(
      createModel(binding, settings(stub, api), env),
      createModelPricing(PriceTable.bundled()),
    );
    expect(outcome.ok).toBe(true);
    expect(rejected(stub)).toEqual([]);
    expectApi(stub, api);
  });
});
