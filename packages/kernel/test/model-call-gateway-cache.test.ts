import {
  type CachedResponse,
  ModelCallError,
  type ModelPort,
  type ModelResponse,
  type ModelUsage,
  type ResponseCacheStore,
} from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes.
import { InMemoryJournalStore, ScriptedModel } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../src/budget/response-cache.ts';
import { RunJournal } from '../src/journal/run-journal.ts';
import type { BudgetLedger, BudgetReservation } from '../src/model/budget-ledger.ts';
import { ModelCallGateway } from '../src/model/model-call-gateway.ts';
import type { PricingHook } from '../src/model/pricing-hook.ts';

const pricing: PricingHook = {
  worstCaseUsd: ({ inputTokens, maxOutputTokens }) => (inputTokens * 3 + maxOutputTokens * 15) / 1_000_000,
  costOfUsage: ({ usage }) => (usage.inputTokens * 3 + usage.outputTokens * 15) / 1_000_000,
};

class MapResponseCacheStore implements ResponseCacheStore {
  readonly specificationVersion = 'v1' as const;
  readonly entries = new Map<string, CachedResponse>();
  async get(key: string): Promise<CachedResponse | undefined> {
    return this.entries.get(key);
  }
  async put(key: string, response: string, usage: ModelUsage): Promise<void> {
    if (!this.entries.has(key)) this.entries.set(key, { key, response, usage, createdAt: 'now', hits: 0 });
  }
  async close(): Promise<void> {}
}

class RecordingLedger implements BudgetLedger {
  readonly log: string[] = [];
  async reserve(request: Parameters<BudgetLedger['reserve']>[0]) {
    this.log.push(`reserve ${request.callId}`);
    return {
      ok: true as const,
      reservation: { id: request.callId, reservedUsd: request.worstCaseUsd ?? 0, maxOutputTokens: 500 },
    };
  }
  async settle(reservation: BudgetReservation, actualUsd: number) {
    this.log.push(`settle ${reservation.id} ${actualUsd === reservation.reservedUsd ? 'full' : 'actual'}`);
  }
  async release(reservation: BudgetReservation) {
    this.log.push(`release ${reservation.id}`);
  }
}

const request = {
  system: [{ text: 'You are the Architect.' }],
  messages: [{ role: 'user' as const, content: '## Task\nadd a README section\n\n## Your turn (turn 1)' }],
  maxOutputTokens: 4096,
  output: { name: 'propose', schema: {} },
  context: { role: 'architect', task: 'add a README section' },
};

async function runGateway(runId: string, store: InMemoryJournalStore, cache: ResponseCache, ledger: BudgetLedger) {
  await store.createRun(runId, {});
  const journal = new RunJournal({ runId, store, lastSeq: 0 });
  return new ModelCallGateway({ journal, ledger, pricing, responseCache: cache });
}

/** A model whose every call fails with the given kind. */
function failingModel(kind: ConstructorParameters<typeof ModelCallError>[0]['kind']): ModelPort {
  return new (class extends ScriptedModel {
    override async generate(): Promise<ModelResponse> {
      throw new ModelCallError({ kind, message: `simulated ${kind}`, provider: 'scripted' });
    }
  })();
}

describe('ModelCallGateway with a response cache', () => {
  it('serves an identical request of a later run from the cache: nothing reserved, $0, journaled as cached', async () => {
    const store = new InMemoryJournalStore();
    const cache = new ResponseCache(new MapResponseCacheStore(), { enabled: true });
    const ledger = new RecordingLedger();
    const model = new ScriptedModel();
    const first = await runGateway('r-1', store, cache, ledger);
    const paid = await first.call({ role: 'architect', stepId: 's-1', callId: 's-1-call-1', model, request });
    expect(paid.ok && paid.costUsd).toBeGreaterThan(0);

    const second = await runGateway('r-2', store, cache, ledger);
    const served = await second.call({ role: 'architect', stepId: 's-1', callId: 's-1-call-1', model, request });
    expect(served).toMatchObject({ ok: true, costUsd: 0 });
    expect(served.ok && paid.ok && served.response.text).toBe(paid.ok && paid.response.text);
    expect(model.calls).toHaveLength(1);
    expect(ledger.log).toEqual(['reserve s-1-call-1', 'settle s-1-call-1 actual']);
    const [start, end] = await store.read('r-2');
    expect(start).toMatchObject({ type: 'model-call-start', data: { reservedUsd: 0 } });
    const paidEnd = (await store.read('r-1')).find((event) => event.type === 'model-call-end');
    const paidUsage = (paidEnd?.data as { usage: ModelUsage } | undefined)?.usage;
    expect(paidUsage?.inputTokens).toBeGreaterThan(0);
    expect(end).toMatchObject({ type: 'model-call-end', data: { costUsd: 0, cached: true, usage: paidUsage } });
  });

  it('a disabled cache (--no-cache) neither serves nor stores: the same request is paid again', async () => {
    const store = new InMemoryJournalStore();
    const cacheStore = new MapResponseCacheStore();
    const ledger = new RecordingLedger();
    const model = new ScriptedModel();
    const disabled = new ResponseCache(cacheStore, { enabled: false });
    await (await runGateway('r-1', store, disabled, ledger)).call({
      role: 'architect',
      stepId: 's-1',
      callId: 's-1-call-1',
      model,
      request,
    });
    expect(cacheStore.entries.size).toBe(0);
    const enabled = new ResponseCache(cacheStore, { enabled: true });
    const again = await (await runGateway('r-2', store, enabled, ledger)).call({
      role: 'architect',
      stepId: 's-1',
      callId: 's-1-call-1',
      model,
      request,
    });
    expect(again.ok && again.costUsd).toBeGreaterThan(0);
    expect(model.calls).toHaveLength(2);
  });

  it('settles a failure that may have been billed at its full reservation, and releases one that was not', async () => {
    const store = new InMemoryJournalStore();
    const cache = new ResponseCache(new MapResponseCacheStore(), { enabled: true });
    const ledger = new RecordingLedger();
    const gateway = await runGateway('r-1', store, cache, ledger);
    const cut = await gateway.call({
      role: 'builder',
      stepId: 's-1',
      callId: 's-1-call-1',
      model: failingModel('stream-cut'),
      request,
    });
    const refused = await gateway.call({
      role: 'builder',
      stepId: 's-2',
      callId: 's-2-call-1',
      model: failingModel('rate-limited'),
      request,
    });
    expect(cut.ok || refused.ok).toBe(false);
    expect(ledger.log).toEqual([
      'reserve s-1-call-1',
      'settle s-1-call-1 full',
      'reserve s-2-call-1',
      'release s-2-call-1',
    ]);
  });
});

describe('ModelCallGateway.fitPrompt', () => {
  const promptInput = (codeLines: number) => ({
    task: 'add a README section',
    role: 'builder' as const,
    kind: 'implement' as const,
    turn: 3,
    conversation: [],
    context: [{ title: 'src/big.js', path: 'src/big.js', text: 'const value = 1; // filler\n'.repeat(codeLines) }],
    diff: '',
    notes: [],
    maxOutputTokens: 1000,
    runId: 'r-1',
    stepId: 'turn-3',
  });

  async function gatewayWith(stepTokenCeiling: number | undefined) {
    const store = new InMemoryJournalStore();
    await store.createRun('r-1', {});
    const journal = new RunJournal({ runId: 'r-1', store, lastSeq: 0 });
    const windowed: PricingHook = { ...pricing, contextWindow: () => 100_000 };
    const gateway = new ModelCallGateway({
      journal,
      ledger: new RecordingLedger(),
      pricing: windowed,
      stepTokenCeiling,
    });
    return { store, gateway };
  }

  it('journals context-pack with what it cut when the prompt passes the step token ceiling', async () => {
    const { store, gateway } = await gatewayWith(4_000);
    const fitted = await gateway.fitPrompt(new ScriptedModel(), promptInput(2_000));
    expect(fitted.context[0]?.text.length ?? 0).toBeLessThan(promptInput(2_000).context[0]!.text.length);
    const [event] = await store.read('r-1');
    expect(event).toMatchObject({
      type: 'context-pack',
      stepId: 'turn-3',
      data: { role: 'builder', contextWindow: 100_000, stepTokenCeiling: 4_000 },
    });
    const dropped = (event?.data as { dropped: Array<{ id: string }> } | undefined)?.dropped ?? [];
    expect(dropped.map((drop) => drop.id)).toEqual(['context:1']);
  });

  it('journals nothing and changes nothing when the prompt fits', async () => {
    const { store, gateway } = await gatewayWith(undefined);
    const input = promptInput(10);
    expect(await gateway.fitPrompt(new ScriptedModel(), input)).toBe(input);
    expect(await store.read('r-1')).toEqual([]);
  });
});
