import { MessageBus, NoCapBudgetLedger, startRun } from '@orchestrator/kernel';
import type { RecordedRole } from '@orchestrator/spec';
import { InMemoryJournalStore, InMemoryWorkspaceProvider, ScriptedModel } from '@orchestrator/testing';
import { type ReplayServer, scriptedWireResponder, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { afterEach, describe, expect, it } from 'vitest';
import { createModel } from '../src/create-model.ts';
import { createModelPricing } from '../src/pricing/model-pricing.ts';
import { PriceTable } from '../src/pricing/price-table.ts';

const files = {
  'README.md': '# demo-greeter\n\nA tiny library that greets people.\n',
  'package.json': '{\n  "name": "demo-greeter",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
  'src/greet.js': "export function greet(name) {\n  return ['Hello', name].join(', ');\n}\n",
};
const limits = { maxTurns: 12, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 };
const roles: RecordedRole[] = [
  { role: 'architect', provider: 'anthropic', model: 'claude-sonnet-4-6', maxOutputTokens: 4096 },
  { role: 'builder', provider: 'openai', model: 'gpt-4o', maxOutputTokens: 4096 },
  { role: 'critic', provider: 'openai', model: 'gpt-4o', maxOutputTokens: 4096 },
];

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The kernel with real adapters and SDKs, talking to the replay server, whose replies the scripted model computes. */
async function runtimeOverReplay(scripted: ScriptedModel) {
  server = await startReplayServer({ respond: scriptedWireResponder(scripted) });
  const url = server.url;
  const store = new InMemoryJournalStore();
  return {
    store,
    workspaces: new InMemoryWorkspaceProvider(files),
    ledger: new NoCapBudgetLedger(),
    pricing: createModelPricing(PriceTable.bundled()),
    bus: new MessageBus(),
    modelFor: (binding: RecordedRole) =>
      createModel(
        { provider: binding.provider, model: binding.model, maxOutputTokens: binding.maxOutputTokens ?? 4096 },
        {
          anthropic: { baseUrl: url, maxRetries: 2, timeoutSeconds: 30 },
          openai: { baseUrl: `${url}/v1`, maxRetries: 2, timeoutSeconds: 30 },
        },
        { ANTHROPIC_API_KEY: 'sk-ant-replay-0000000000', OPENAI_API_KEY: 'sk-replay-0000000000' },
      ),
  };
}

describe('a run with Architect on Anthropic and Builder/Critic on OpenAI, over the replay server', () => {
  it('converges through the kernel like the scripted run, and journals each vendor call with its cost', async () => {
    const runtime = await runtimeOverReplay(new ScriptedModel());
    const result = await startRun(runtime, { task: 'add a README section', repo: '/repo', roles, limits });
    expect(result.status).toBe('converged');
    expect(result.turns).toBe(3);
    expect(result.diff).toContain('+## Usage');
    expect(result.spentUsd).toBeGreaterThan(0);

    const events = await runtime.store.read(result.runId);
    const ends = events
      .filter((event) => event.type === 'model-call-end')
      .map((event) => event.data as Record<string, unknown>);
    expect(ends.map((end) => [end.role, end.provider, end.model])).toEqual([
      ['architect', 'anthropic', 'claude-sonnet-4-6'],
      ['builder', 'openai', 'gpt-4o'],
      ['critic', 'openai', 'gpt-4o'],
    ]);
    for (const end of ends) expect(end.costUsd).toBeGreaterThan(0);
    // The real wire formats were used: a forced tool for Anthropic, a json_schema response format for OpenAI.
    const sent = server!.requests
      .filter((request) => !request.path.endsWith('/count_tokens'))
      .map((request) => [request.path, request.body as Record<string, unknown>] as const);
    expect(sent[0]?.[0]).toBe('/v1/messages');
    expect(sent[0]?.[1].tool_choice).toEqual({ type: 'tool', name: 'propose' });
    expect(sent[1]?.[0]).toBe('/v1/chat/completions');
    expect(sent[1]?.[1].response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'implement' } });
  });

  it('an overload beyond the SDK retries pauses the run; the journal says the provider was overloaded', async () => {
    const runtime = await runtimeOverReplay(new ScriptedModel({ faults: ['model-error'] }));
    const result = await startRun(runtime, { task: 'add a README section', repo: '/repo', roles, limits });
    expect(result.status).toBe('paused');
    // maxRetries 2: three 529s on the wire for the Architect's one call, then the run stops asking.
    expect(server!.requests.filter((request) => request.path === '/v1/messages')).toHaveLength(3);
    const events = await runtime.store.read(result.runId);
    const failure = events.find((event) => event.type === 'model-call-error')?.data as Record<string, unknown>;
    expect(failure).toMatchObject({ code: 'model-call-overloaded', kind: 'overloaded' });
    expect(events.at(-1)?.type).toBe('run-pause');
    expect(result.pause?.reason).toBe('provider-overloaded');
    expect(result.pause?.detail).toContain('overloaded');
  });
});
