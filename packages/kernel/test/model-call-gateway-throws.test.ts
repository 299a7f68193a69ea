import { SystemError, UserError } from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes.
import { InMemoryJournalStore, ScriptedModel } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { startRun } from '../src/debate/debate-loop.ts';
import { RunJournal } from '../src/journal/run-journal.ts';
import type { BudgetLedger, BudgetReservation } from '../src/model/budget-ledger.ts';
import { ModelCallGateway } from '../src/model/model-call-gateway.ts';
import { freePricing, type PricingHook } from '../src/model/pricing-hook.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

const request = {
  system: [{ text: 'You are the Architect.' }],
  messages: [{ role: 'user' as const, content: '## Task\nadd a README section\n\n## Your turn (turn 1)' }],
  maxOutputTokens: 4096,
};

/** A ledger that records what was reserved and what happened to each reservation. */
class RecordingLedger implements BudgetLedger {
  readonly log: string[] = [];
  async reserve(input: Parameters<BudgetLedger['reserve']>[0]) {
    this.log.push(`reserve ${input.callId}`);
    return { ok: true as const, reservation: { id: input.callId, reservedUsd: 0.01, maxOutputTokens: 500 } };
  }
  async settle(reservation: BudgetReservation) {
    this.log.push(`settle ${reservation.id}`);
  }
  async release(reservation: BudgetReservation) {
    this.log.push(`release ${reservation.id}`);
  }
}

function countTokensThrows(model: ScriptedModel): ScriptedModel {
  model.countTokens = async () => {
    throw new SystemError({ code: 'tokenizer-unavailable', message: 'The tokenizer endpoint answered 500.' });
  };
  return model;
}

async function gatewaySetup(options: { ledger?: BudgetLedger; pricing?: PricingHook } = {}) {
  const store = new InMemoryJournalStore();
  await store.createRun('r-1', {});
  const journal = new RunJournal({ runId: 'r-1', store, lastSeq: 0 });
  const ledger = options.ledger ?? new RecordingLedger();
  const gateway = new ModelCallGateway({ journal, ledger, pricing: options.pricing ?? freePricing });
  return { store, gateway, ledger };
}

describe('ModelCallGateway: every throw is a result', () => {
  it('a countTokens that throws is a model-error result, journaled, with nothing reserved', async () => {
    const ledger = new RecordingLedger();
    const { store, gateway } = await gatewaySetup({ ledger });
    const model = countTokensThrows(new ScriptedModel());
    const result = await gateway.call({ role: 'architect', stepId: 's1', callId: 'c1', model, request });
    expect(result).toMatchObject({ ok: false, failure: 'model-error', code: 'tokenizer-unavailable' });
    expect(model.calls).toHaveLength(0);
    expect(ledger.log).toEqual([]);
    const events = await store.read('r-1');
    expect(events.map((event) => event.type)).toEqual(['model-call-error']);
    expect(events[0]?.data).toMatchObject({ callId: 'c1', code: 'tokenizer-unavailable' });
  });

  it('a pricing hook or ledger that throws (an unpriced model under a cap) is a result, not an exception', async () => {
    const throwingLedger: BudgetLedger = {
      reserve: async () => {
        throw new UserError({ code: 'model-unpriced', message: 'No price is known for scripted/x.' });
      },
      settle: async () => {},
      release: async () => {},
    };
    const { gateway } = await gatewaySetup({ ledger: throwingLedger });
    const result = await gateway.call({
      role: 'architect',
      stepId: 's1',
      callId: 'c1',
      model: new ScriptedModel(),
      request,
    });
    expect(result).toMatchObject({ ok: false, failure: 'model-error', code: 'model-unpriced' });

    const throwingPricing: PricingHook = {
      ...freePricing,
      worstCaseUsd: () => {
        throw new TypeError('price table is corrupt');
      },
    };
    const second = await gatewaySetup({ pricing: throwingPricing });
    const failed = await second.gateway.call({
      role: 'architect',
      stepId: 's1',
      callId: 'c2',
      model: new ScriptedModel(),
      request,
    });
    expect(failed).toMatchObject({ ok: false, failure: 'model-error', code: 'model-call-failed' });
    expect(failed.ok === false && failed.failure === 'model-error' && failed.message).toContain(
      'price table is corrupt',
    );
  });

  it('a journal that fails after the reservation releases the hold, and its failure propagates (nothing can be recorded)', async () => {
    const ledger = new RecordingLedger();
    const { store, gateway } = await gatewaySetup({ ledger });
    const append = store.append.bind(store);
    store.append = async (runId, events, options) => {
      if (events.some((event) => event.type === 'model-call-start')) throw new Error('disk full');
      return append(runId, events, options);
    };
    const model = new ScriptedModel();
    const call = gateway.call({ role: 'architect', stepId: 's1', callId: 'c1', model, request });
    await expect(call).rejects.toThrow('disk full');
    expect(model.calls).toHaveLength(0);
    expect(ledger.log).toEqual(['reserve c1', 'release c1']);
  });

  it('a pricing hook whose context-window lookup throws leaves the prompt unpacked instead of failing the turn', async () => {
    const pricing: PricingHook = {
      ...freePricing,
      contextWindow: () => {
        throw new Error('price table is corrupt');
      },
    };
    const { gateway } = await gatewaySetup({ pricing });
    const input = {
      task: 't',
      role: 'architect',
      kind: 'propose',
      turn: 1,
      conversation: [],
      notes: [],
      maxOutputTokens: 100,
      runId: 'r-1',
      stepId: 's1',
    } as unknown as Parameters<ModelCallGateway['fitPrompt']>[1];
    await expect(gateway.fitPrompt(new ScriptedModel(), input)).resolves.toBe(input);
  });

  it('a run whose model cannot count tokens pauses with a reason; it never stays stuck after step-start', async () => {
    const runtime = testRuntime();
    runtime.modelFor = (binding) => countTokensThrows(new ScriptedModel({ modelId: binding.model }));
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    expect(result).toMatchObject({ status: 'paused', pause: { reason: 'model-error' } });
    expect(result.pause?.detail).toContain('tokenizer endpoint answered 500');
    const types = (await runtime.store.read(result.runId)).map((event) => event.type);
    const lastStart = types.lastIndexOf('step-start');
    expect(lastStart).toBeGreaterThanOrEqual(0);
    expect(types.slice(lastStart)).toEqual(['step-start', 'model-call-error', 'step-end', 'run-pause']);
  });
});
