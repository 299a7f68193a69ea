import { ModelCallError } from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes.
import { InMemoryJournalStore, ScriptedModel } from '@orchestrator/testing';

import { describe, expect, it } from 'vitest';
import { RunJournal } from '../src/journal/run-journal.ts';
import type { BudgetLedger, BudgetReservation } from '../src/model/budget-ledger.ts';
import { ModelCallGateway } from '../src/model/model-call-gateway.ts';
import type { PricingHook } from '../src/model/pricing-hook.ts';

const pricing: PricingHook = {
  worstCaseUsd: ({ inputTokens, maxOutputTokens }) => (inputTokens * 3 + maxOutputTokens * 15) / 1_000_000,
  costOfUsage: ({ usage }) => (usage.inputTokens * 3 + usage.outputTokens * 15) / 1_000_000,
};

class RecordingLedger implements BudgetLedger {
  readonly log: string[] = [];
  async reserve(request: Parameters<BudgetLedger['reserve']>[0]) {
    this.log.push(`reserve ${request.callId} ${request.worstCaseUsd?.toFixed(6)}`);
    return {
      ok: true as const,
      reservation: { id: request.callId, reservedUsd: request.worstCaseUsd ?? 0, maxOutputTokens: 500 },
    };
  }
  async settle(reservation: BudgetReservation, actualUsd: number) {
    this.log.push(`settle ${reservation.id} ${actualUsd.toFixed(6)}`);
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

async function setup() {
  const store = new InMemoryJournalStore();
  await store.createRun('r-1', {});
  const journal = new RunJournal({ runId: 'r-1', store, lastSeq: 0 });
  const ledger = new RecordingLedger();
  return { store, journal, ledger, gateway: new ModelCallGateway({ journal, ledger, pricing }) };
}

describe('ModelCallGateway', () => {
  it('reserves the worst case, clamps max tokens to the reservation, journals request and response, settles at cost', async () => {
    const { store, ledger, gateway } = await setup();
    const model = new ScriptedModel();
    const result = await gateway.call({ role: 'architect', stepId: 'turn-1', callId: 'turn-1-call-1', model, request });
    expect(result.ok).toBe(true);
    expect(model.calls[0]?.request.maxOutputTokens).toBe(500);
    const [start, end] = await store.read('r-1');
    expect(start).toMatchObject({
      type: 'model-call-start',
      stepId: 'turn-1',
      data: { callId: 'turn-1-call-1', maxOutputTokens: 500 },
    });
    const startData = start!.data as { reservedUsd: number; requestSha256: string };
    const endData = end!.data as {
      costUsd: number;
      responseSha256: string;
      usage: { inputTokens: number; outputTokens: number };
      cached: boolean;
    };
    expect(startData.reservedUsd).toBeGreaterThan(endData.costUsd);
    expect(endData.costUsd).toBeCloseTo(
      (endData.usage.inputTokens * 3 + endData.usage.outputTokens * 15) / 1_000_000,
      12,
    );
    expect(endData.cached).toBe(false);
    expect(JSON.parse((await store.getBlob(startData.requestSha256))!)).toMatchObject({
      provider: 'scripted',
      messages: request.messages,
    });
    expect(JSON.parse((await store.getBlob(endData.responseSha256))!)).toMatchObject({ finishReason: 'stop' });
    expect(ledger.log).toEqual([
      `reserve turn-1-call-1 ${startData.reservedUsd.toFixed(6)}`,
      `settle turn-1-call-1 ${endData.costUsd.toFixed(6)}`,
    ]);
  });

  it('releases the reservation and journals model-call-error when the provider fails', async () => {
    const { store, ledger, gateway } = await setup();
    const result = await gateway.call({
      role: 'architect',
      stepId: 'turn-1',
      callId: 'c1',
      model: new ScriptedModel({ faults: ['model-error'] }),
      request,
    });
    expect(result).toMatchObject({ ok: false, failure: 'model-error', code: 'model-call-overloaded' });
    expect((await store.read('r-1')).map((event) => event.type)).toEqual(['model-call-start', 'model-call-error']);
    expect(ledger.log.at(-1)).toBe('release c1');
  });

  it('settles a failed call that may have been billed (cut stream) at its full reservation', async () => {
    const { ledger, gateway } = await setup();
    const model = new ScriptedModel();
    model.generate = async () => {
      throw new ModelCallError({ kind: 'stream-cut', provider: 'scripted', message: 'The stream was cut.' });
    };
    const result = await gateway.call({ role: 'architect', stepId: 'turn-1', callId: 'c1', model, request });
    expect(result).toMatchObject({ ok: false, code: 'model-call-stream-cut' });
    const reserved = ledger.log[0]!.split(' ')[2];
    expect(ledger.log.at(-1)).toBe(`settle c1 ${reserved}`);
  });

  it('replays a request already answered in the run instead of paying again', async () => {
    const { store, journal, ledger } = await setup();
    const recorded = new Map<string, string>();
    const first = new ModelCallGateway({ journal, ledger, pricing, recordedResponses: recorded });
    const model = new ScriptedModel();
    const original = await first.call({ role: 'architect', stepId: 'turn-1', callId: 'c1', model, request });
    const replayed = await new ModelCallGateway({ journal, ledger, pricing, recordedResponses: recorded }).call({
      role: 'architect',
      stepId: 'turn-1',
      callId: 'c2',
      model,
      request,
    });
    expect(model.calls).toHaveLength(1);
    expect(replayed.ok && original.ok && replayed.response.text === original.response.text).toBe(true);
    const ends = (await store.read('r-1')).filter((event) => event.type === 'model-call-end');
    expect(ends.map((event) => (event.data as { cached: boolean; costUsd: number }).cached)).toEqual([false, true]);
    expect((ends[1]!.data as { costUsd: number }).costUsd).toBe(0);
  });

  it('a refused reservation makes no call and writes nothing', async () => {
    const { store, journal } = await setup();
    const refusing: BudgetLedger = {
      reserve: async () => ({ ok: false, reason: 'budget', detail: 'cap reached' }),
      settle: async () => {},
      release: async () => {},
    };
    const model = new ScriptedModel();
    const result = await new ModelCallGateway({ journal, ledger: refusing, pricing }).call({
      role: 'architect',
      stepId: 's',
      callId: 'c',
      model,
      request,
    });
    expect(result).toMatchObject({ ok: false, failure: 'budget', detail: 'cap reached' });
    expect(model.calls).toHaveLength(0);
    expect(await store.read('r-1')).toEqual([]);
  });
});
