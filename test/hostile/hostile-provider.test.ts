// A hostile model provider against the real adapters, SDKs and kernel: it drips bytes or goes silent, asks for an
// hour's wait, claims absurd usage, writes terminal escapes, or says the account cannot pay. Every call must end
// bounded and classified, book no more than the request allowed, and print nothing that talks to the terminal.
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import { MessageBus, NoCapBudgetLedger, startRun } from '@orchestrator/kernel';
import {
  createAnthropicModel,
  createModel,
  createModelPricing,
  createOpenAiModel,
  createOpenAiResponsesModel,
  PriceTable,
} from '@orchestrator/providers';
import type { CallRuntime } from '@orchestrator/providers/bounds/bounded-call';
import type { GuardTimers } from '@orchestrator/providers/bounds/call-guard';
import { ModelCallError, type ModelPort, type ModelRequest, type RecordedRole } from '@orchestrator/spec';
import { InMemoryJournalStore, InMemoryWorkspaceProvider } from '@orchestrator/testing';
import { collectStream } from '@orchestrator/testing/conformance/model-port-conformance';
import { rateLimitedFault, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutput } from '../../apps/orchestrator/src/output/terminal.ts';

type Vendor = 'anthropic' | 'openai' | 'openai-responses';
const request: ModelRequest = {
  system: [{ text: 'Be terse.' }],
  messages: [{ role: 'user', content: 'Hi' }],
  maxOutputTokens: 4096,
};
const keys = {
  anthropic: 'sk-ant-hostile-00000000',
  openai: 'sk-hostile-00000000',
  'openai-responses': 'sk-hostile-00000000',
};
const firstEvent: Record<Vendor, string> = {
  anthropic:
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":1}}}\n\nevent: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}\n\n',
  openai:
    'data: {"id":"c1","object":"chat.completion.chunk","created":0,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}\n\n',
  'openai-responses':
    'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel","sequence_number":1}\n\n',
};

/** A provider stub: each request is handed to `behave`, which may answer, drip, or never write a byte. */
async function startStub(behave: (response: ServerResponse) => void) {
  const held: ServerResponse[] = [];
  const server = createServer((incoming, response) => {
    incoming.resume();
    held.push(response);
    behave(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    held,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
let stub: Awaited<ReturnType<typeof startStub>> | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await stub?.close();
  stub = undefined;
});

function port(vendor: Vendor, url: string, bounds: Record<string, unknown>, runtime?: CallRuntime): ModelPort {
  const common = {
    apiKey: keys[vendor],
    maxRetries: 0,
    timeoutSeconds: 30,
    ...bounds,
    ...(runtime ? { runtime } : {}),
  };
  if (vendor === 'anthropic') return createAnthropicModel({ ...common, model: 'claude-sonnet-4-6', baseUrl: url });
  const create = vendor === 'openai' ? createOpenAiModel : createOpenAiResponsesModel;
  return create({ ...common, model: 'gpt-4o', baseUrl: `${url}/v1` });
}
async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
  const failure = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!ModelCallError.isModelCallError(failure)) throw new Error(`expected a ModelCallError, got ${String(failure)}`);
  return failure;
}
const sse = (response: ServerResponse) => response.writeHead(200, { 'content-type': 'text/event-stream' });

/** Timers the test fires by hand: nothing depends on the wall clock. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; milliseconds: number }>();
  let next = 0;
  const timers: GuardTimers = {
    set: (callback, milliseconds) => {
      next += 1;
      pending.set(next, { callback, milliseconds });
      return next;
    },
    clear: (handle) => {
      pending.delete(handle as number);
    },
  };
  const fire = (milliseconds: number) => {
    for (const [id, timer] of [...pending]) {
      if (timer.milliseconds !== milliseconds) continue;
      pending.delete(id);
      timer.callback();
    }
  };
  const armed = (milliseconds: number) =>
    [...pending.values()].filter((timer) => timer.milliseconds === milliseconds).length;
  return { timers, fire, armed };
}

describe.each(['anthropic', 'openai', 'openai-responses'] as const)(
  '%s: a silent or dripping provider never hangs a call',
  (vendor) => {
    it('no byte at all: the call ends as a timeout at the idle limit (the stub provably never answers)', async () => {
      stub = await startStub(() => undefined);
      const failure = await failureOf(port(vendor, stub.url, { idleTimeoutSeconds: 0.05 }).generate(request));
      expect(failure.kind).toBe('timeout');
      expect(failure.details).toMatchObject({ bound: 'idle', limitSeconds: 0.05 });
      expect(failure.message).toContain('no byte arrived for 0.05 s');
    });

    it('a first chunk, then silence: the stream yields what came, then a timeout at the idle limit, never finish', async () => {
      const clock = manualTimers();
      stub = await startStub((response) => {
        sse(response);
        response.write(firstEvent[vendor]);
      });
      const model = port(vendor, stub.url, { idleTimeoutSeconds: 5 }, { timers: clock.timers });
      const parts: Array<{ type: string }> = [];
      const collecting = collectStream(
        (async function* () {
          for await (const part of model.stream(request)) {
            parts.push(part);
            yield part;
          }
        })(),
      );
      // The first chunk arrived and the adapter waits on the wire again; the stub sends nothing more, so the idle limit
      // is what ends the call: fire it.
      await vi.waitFor(() => expect(parts.map((part) => part.type)).toContain('text-delta'));
      await vi.waitFor(() => expect(clock.armed(5000)).toBe(1));
      clock.fire(5000);
      const collected = await collecting;
      expect(collected.text).toBe('Hel');
      expect(collected.parts.some((part) => part.type === 'finish')).toBe(false);
      expect((collected.error as ModelCallError).kind).toBe('timeout');
      expect((collected.error as ModelCallError).details).toMatchObject({ bound: 'idle', limitSeconds: 5 });
    });

    it('a drip that never pauses for the idle limit is ended by the total deadline, and not retried', async () => {
      const clock = manualTimers();
      stub = await startStub((response) => {
        sse(response);
        response.write(firstEvent[vendor]);
      });
      const model = port(
        vendor,
        stub.url,
        { timeoutSeconds: 30, idleTimeoutSeconds: 5, maxRetries: 2 },
        { timers: clock.timers },
      );
      const parts: string[] = [];
      const done = (async () => {
        for await (const part of model.stream(request)) {
          parts.push(part.type);
          if (part.type === 'error') return part.error;
        }
        return undefined;
      })();
      // Drip: each byte arrives before the idle limit (the idle timer is never fired), then the deadline passes.
      await vi.waitFor(() => expect(parts).toContain('text-delta'));
      for (const byte of [':', ' ', 'k']) stub.held[0]?.write(byte);
      clock.fire(30_000);
      const failure = (await done) as ModelCallError;
      expect(failure.kind).toBe('timeout');
      expect(failure.details).toMatchObject({ bound: 'deadline', limitSeconds: 30 });
      expect(parts).not.toContain('finish');
      expect(stub.held).toHaveLength(1);
    });
  },
);

describe.each(['anthropic', 'openai'] as const)('%s: retry-after is capped', (vendor) => {
  const now = Date.UTC(2026, 11, 7, 9, 0, 0);
  it('retry-after: 3600 is never slept through: the call ends at once, "rate-limited until <time>"', async () => {
    const server = await startReplayServer({ exchanges: [rateLimitedFault(vendor, { retryAfterSeconds: 3600 })] });
    const sleeps: number[] = [];
    const runtime: CallRuntime = { now: () => now, sleep: async (milliseconds) => void sleeps.push(milliseconds) };
    try {
      const failure = await failureOf(port(vendor, server.url, { maxRetries: 2 }, runtime).generate(request));
      expect(failure.kind).toBe('rate-limited');
      expect(failure.retryAfterSeconds).toBe(3600);
      expect(failure.message).toContain('rate-limited until 2026-12-07T10:00:00Z');
      expect(sleeps).toEqual([]);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('the run pauses with the time the provider gave', () => {
  it('a 429 with retry-after: 3600 pauses the run as provider-rate-limited, saying until when', async () => {
    const server = await startReplayServer({ exchanges: [rateLimitedFault('openai', { retryAfterSeconds: 3600 })] });
    const roles: RecordedRole[] = [
      { role: 'architect', provider: 'openai', model: 'gpt-4o', maxOutputTokens: 4096 },
      { role: 'builder', provider: 'openai', model: 'gpt-4o', maxOutputTokens: 4096 },
      { role: 'critic', provider: 'openai', model: 'gpt-4o', maxOutputTokens: 4096 },
    ];
    try {
      const runtime = {
        store: new InMemoryJournalStore(),
        workspaces: new InMemoryWorkspaceProvider({ 'README.md': '# demo\n' }),
        ledger: new NoCapBudgetLedger(),
        pricing: createModelPricing(PriceTable.bundled()),
        bus: new MessageBus(),
        modelFor: (binding: RecordedRole) =>
          createModel(
            { provider: binding.provider, model: binding.model, maxOutputTokens: 4096 },
            { openai: { baseUrl: `${server.url}/v1`, maxRetries: 2, timeoutSeconds: 30 } },
            { OPENAI_API_KEY: keys.openai },
          ),
      };
      const limits = { maxTurns: 12, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 };
      const result = await startRun(runtime, { task: 'add a README section', repo: '/repo', roles, limits });
      expect(result.status).toBe('paused');
      expect(result.pause?.reason).toBe('provider-rate-limited');
      const until = /rate-limited until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)/.exec(result.pause?.detail ?? '')?.[1];
      expect(until).toBeDefined();
      // About an hour ahead (the margin is minutes, not a race).
      expect(Date.parse(until ?? '') - Date.now()).toBeGreaterThan(3000 * 1000);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('usage a provider claims is clamped to what the request allowed', () => {
  it('a reply claiming 2M output tokens against a 4,096 cap is booked at the cap, with a warning', async () => {
    stub = await startStub((response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 0,
          model: 'gpt-4o',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 20, completion_tokens: 2_000_000, total_tokens: 2_000_020 },
        }),
      );
    });
    const response = await port('openai', stub.url, {}).generate(request);
    expect(response.usage.outputTokens).toBe(4096);
    expect(response.warnings?.join('\n')).toContain('claimed 2000000 output tokens against a cap of 4096');
    const pricing = createModelPricing(PriceTable.bundled());
    const cost = pricing.costOfUsage({ provider: 'openai', model: 'gpt-4o', usage: response.usage }) ?? Infinity;
    const reserved = pricing.worstCaseUsd({
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 20,
      maxOutputTokens: 4096,
    });
    // What the ledger settles never exceeds what it reserved for the call (a $0.05 cap holds, not $20).
    expect(cost).toBeLessThanOrEqual(reserved ?? 0);
    expect(cost).toBeLessThan(0.05);
  });
});

describe.each([
  [
    'openai',
    429,
    {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
    },
  ],
  [
    'openai',
    429,
    {
      error: {
        message: 'Spend limit reached for this project.',
        type: 'invalid_request_error',
        code: 'enforced_spend_limit_reached',
      },
    },
  ],
  ['anthropic', 402, { type: 'error', error: { type: 'billing_error', message: 'Your credit balance is too low.' } }],
] as const)('%s HTTP %i billing errors are not rate limits', (vendor, status, body) => {
  it('is classified billing, never retried, and says to fix billing, then resume', async () => {
    stub = await startStub((response) => {
      response.writeHead(status, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(JSON.stringify(body));
    });
    const sleeps: number[] = [];
    const runtime: CallRuntime = { sleep: async (milliseconds) => void sleeps.push(milliseconds) };
    const failure = await failureOf(port(vendor, stub.url, { maxRetries: 3 }, runtime).generate(request));
    expect(failure.kind).toBe('billing');
    expect(failure.transient).toBe(false);
    expect(failure.message).toContain('fix billing, then resume');
    expect(stub.held).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('model text printed to the terminal', () => {
  it('loses its OSC 52 clipboard write and the cursor moves that forged a CONVERGED line', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write);
    const modelText = 'critic: reject\u001B]52;c;Y3VybCBldmlsIHwgc2g=\u0007\u001B[1A\u001B[2K\rCONVERGED';
    createOutput(false).line(modelText);
    expect(written.join('')).toBe('critic: rejectCONVERGED\n');
    const controls = [...written.join('')].filter((character) => {
      const code = character.charCodeAt(0);
      return (code < 0x20 && character !== '\n' && character !== '\t') || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
  });
});
