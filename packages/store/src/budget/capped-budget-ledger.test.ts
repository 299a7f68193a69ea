import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CappedBudgetLedger } from '@orchestrator/kernel/budget/capped-budget-ledger';
import type { BudgetReservationRequest } from '@orchestrator/kernel/model/budget-ledger';
import type { PricingHook } from '@orchestrator/kernel/model/pricing-hook';
import { OrchestratorError } from '@orchestrator/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteBudgetStore } from './sql-budget-store.ts';

/** $3 / Mtok input, $15 / Mtok output, $3.75 / Mtok cache write (Claude Sonnet-like); `free-model` costs 0. */
const pricing: PricingHook = {
  costOfUsage: ({ usage }) => (usage.inputTokens * 3 + usage.outputTokens * 15) / 1e6,
  worstCaseUsd: ({ model, inputTokens, maxOutputTokens }) =>
    model === 'unpriced' ? undefined : (inputTokens * 3.75 + maxOutputTokens * 15) / 1e6,
};

const stores: SqliteBudgetStore[] = [];
function openStore(): SqliteBudgetStore {
  const store = SqliteBudgetStore.open(join(mkdtempSync(join(tmpdir(), 'budget-ledger-')), 'journal.sqlite'));
  stores.push(store);
  return store;
}
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function call(callId: string, overrides: Partial<BudgetReservationRequest> = {}): BudgetReservationRequest {
  const request = {
    runId: 'r-1',
    callId,
    role: 'builder',
    provider: 'anthropic',
    model: 'sonnet',
    inputTokens: 10_000,
    maxOutputTokens: 4_000,
    ...overrides,
  };
  return {
    ...request,
    worstCaseUsd: pricing.worstCaseUsd({
      provider: request.provider,
      model: request.model,
      inputTokens: request.inputTokens,
      maxOutputTokens: request.maxOutputTokens,
    }),
    ...overrides,
  };
}

describe('CappedBudgetLedger on SQLite', () => {
  it('holds the worst case including the cache-write premium, then settles to the real cost', async () => {
    const store = openStore();
    const ledger = new CappedBudgetLedger({ store, pricing, runCapUsd: 1 });
    const reserved = await ledger.reserve(call('c1'));
    expect(reserved.ok).toBe(true);
    if (!reserved.ok) return;
    // 10k × $3.75/M + 4k × $15/M = $0.0975
    expect(reserved.reservation.reservedUsd).toBeCloseTo(0.0975, 9);
    expect(reserved.reservation.maxOutputTokens).toBe(4_000);
    expect((await ledger.runSpend('r-1')).reservedUsd).toBeCloseTo(0.0975, 9);
    await ledger.settle(reserved.reservation, 0.04, 11_000);
    expect(await ledger.runSpend('r-1')).toEqual({ settledUsd: 0.04, reservedUsd: 0, capUsd: 1 });
  });

  it('clamps the output cap to what is left, and refuses below the useful floor with a resume hint', async () => {
    const store = openStore();
    // $0.05 fits 10k input ($0.0375) + 833 output tokens ($0.0125).
    const ledger = new CappedBudgetLedger({ store, pricing, runCapUsd: 0.05 });
    const clamped = await ledger.reserve(call('c1'));
    expect(clamped.ok && clamped.reservation.maxOutputTokens).toBe(833);
    if (clamped.ok) expect(clamped.reservation.reservedUsd).toBeLessThanOrEqual(0.05);
    const refused = await ledger.reserve(call('c2'));
    expect(refused).toMatchObject({ ok: false, reason: 'budget' });
    if (!refused.ok) expect(refused.detail).toContain('orchestrator resume r-1 --max-usd');
    if (clamped.ok) await ledger.settle(clamped.reservation, 0.05);
    expect((await ledger.runSpend('r-1')).settledUsd).toBeLessThanOrEqual(0.05);
  });

  it('refuses an unpriced model under a cap with model-unpriced and a hint, and allows it without a cap', async () => {
    const capped = new CappedBudgetLedger({ store: openStore(), pricing, runCapUsd: 5 });
    const error = await capped.reserve(call('c1', { model: 'unpriced' })).catch((caught: unknown) => caught);
    expect(OrchestratorError.isInstance(error) && error.code).toBe('model-unpriced');
    expect(OrchestratorError.isInstance(error) && error.hint).toContain('price');
    const uncapped = new CappedBudgetLedger({ store: openStore(), pricing });
    expect((await uncapped.reserve(call('c1', { model: 'unpriced' }))).ok).toBe(true);
  });

  it('settles the holds a crashed process left open at their full amount, and a raised cap lets the run resume', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'budget-ledger-')), 'journal.sqlite');
    const crashed = SqliteBudgetStore.open(path);
    const first = new CappedBudgetLedger({ store: crashed, pricing, runCapUsd: 0.2 });
    const held = await first.reserve(call('c1'));
    expect(held.ok).toBe(true);
    await crashed.close(); // the process dies between reserve and settle
    const resumedStore = SqliteBudgetStore.open(path);
    stores.push(resumedStore);
    const resumed = new CappedBudgetLedger({ store: resumedStore, pricing, runCapUsd: 0.2 });
    expect(await resumed.settleOrphans('r-1')).toEqual({ settled: 1, settledUsd: 0.0975 });
    expect(await resumed.settleOrphans('r-1')).toEqual({ settled: 0, settledUsd: 0 });
    expect((await resumed.reserve(call('c2'))).ok).toBe(true);
    expect((await resumed.reserve(call('c3'))).ok).toBe(false);
    await resumed.raiseCap(CappedBudgetLedger.runAccountId('r-1'), 1);
    expect((await resumed.reserve(call('c3'))).ok).toBe(true);
  });

  it('a released call costs nothing; an unknown outcome settles in full', async () => {
    const ledger = new CappedBudgetLedger({ store: openStore(), pricing, runCapUsd: 1 });
    const first = await ledger.reserve(call('c1'));
    const second = await ledger.reserve(call('c2'));
    if (!first.ok || !second.ok) throw new Error('expected both reservations');
    await ledger.release(first.reservation);
    await ledger.settleUnknown(second.reservation);
    expect(await ledger.runSpend('r-1')).toMatchObject({ settledUsd: 0.0975, reservedUsd: 0 });
  });

  it('nests run → step accounts: a step cap and token ceiling bound the call, the run sees its spend', async () => {
    const store = openStore();
    const ledger = new CappedBudgetLedger({
      store,
      pricing,
      runCapUsd: 1,
      accountFor: (request) => `run:${request.runId}/step:${request.role}`,
    });
    await ledger.openRun('r-1');
    await ledger.openAccount({ accountId: 'run:r-1/step:builder', parentId: 'run:r-1', maxTokens: 12_000 });
    const clamped = await ledger.reserve(call('c1'));
    expect(clamped.ok && clamped.reservation.maxOutputTokens).toBe(2_000);
    if (clamped.ok) await ledger.settle(clamped.reservation, 0.01, 11_500);
    expect((await store.getAccount('run:r-1'))?.settledUsd).toBe(0.01);
    expect((await ledger.reserve(call('c2', { inputTokens: 100 }))).ok).toBe(true);
    expect((await ledger.reserve(call('c3', { inputTokens: 100 }))).ok).toBe(false);
  });

  it('partitions carve a branch budget out of the parent and give back the unspent part when closed', async () => {
    const store = openStore();
    const ledger = new CappedBudgetLedger({ store, pricing, runCapUsd: 1 });
    await ledger.openRun('r-1');
    expect(await ledger.openAccount({ accountId: 'a', parentId: 'run:r-1', capUsd: 0.6, partition: true })).toEqual({
      ok: true,
    });
    const refused = await ledger.openAccount({ accountId: 'b', parentId: 'run:r-1', capUsd: 0.6, partition: true });
    expect(refused.ok).toBe(false);
    expect(await ledger.openAccount({ accountId: 'b', parentId: 'run:r-1', capUsd: 0.4, partition: true })).toEqual({
      ok: true,
    });
    const onA = new CappedBudgetLedger({ store, pricing, accountFor: () => 'a' });
    const held = await onA.reserve(call('c1'));
    if (!held.ok) throw new Error('expected a hold in partition a');
    expect((await ledger.closePartition('a')).ok).toBe(false);
    await onA.settle(held.reservation, 0.05);
    expect(await ledger.closePartition('a')).toEqual({ ok: true });
    expect(await ledger.runSpend('r-1')).toEqual({ settledUsd: 0.05, reservedUsd: 0.4, capUsd: 1 });
  });
});

describe('CappedBudgetLedger.prepareResume', () => {
  it('settles orphans and raises the cap in one call before a resumed run reserves again', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'budget-ledger-')), 'journal.sqlite');
    const crashed = SqliteBudgetStore.open(path);
    expect((await new CappedBudgetLedger({ store: crashed, pricing, runCapUsd: 0.1 }).reserve(call('c1'))).ok).toBe(
      true,
    );
    await crashed.close();
    const store = SqliteBudgetStore.open(path);
    stores.push(store);
    const ledger = new CappedBudgetLedger({ store, pricing, runCapUsd: 0.1 });
    expect((await ledger.reserve(call('c2'))).ok).toBe(false);
    expect(await ledger.prepareResume('r-1', 0.5)).toEqual({ settled: 1, settledUsd: 0.0975 });
    expect(await ledger.runSpend('r-1')).toEqual({ settledUsd: 0.0975, reservedUsd: 0, capUsd: 0.5 });
    expect((await ledger.reserve(call('c2'))).ok).toBe(true);
  });
});

describe('CappedBudgetLedger call ids', () => {
  it('a call re-issued after a crash under the same call id is held and settled anew, not waved through', async () => {
    const store = openStore();
    const ledger = new CappedBudgetLedger({ store, pricing, runCapUsd: 0.15 });
    expect((await ledger.reserve(call('turn-1-call-1'))).ok).toBe(true);
    await ledger.settleOrphans('r-1'); // the crashed attempt: $0.0975 settled
    const again = await ledger.reserve(call('turn-1-call-1'));
    if (!again.ok) throw new Error('expected the re-issued call to fit, clamped');
    expect(again.reservation.maxOutputTokens).toBeLessThan(4_000);
    await ledger.settle(again.reservation, 0.05);
    expect(await ledger.runSpend('r-1')).toMatchObject({ reservedUsd: 0 });
    expect((await ledger.runSpend('r-1')).settledUsd).toBeCloseTo(0.1475, 9);
  });
});

describe('CappedBudgetLedger step accounts', () => {
  it('gives each step its token ceiling (repairs included) and says which ceiling stopped the call', async () => {
    const store = openStore();
    const ledger = new CappedBudgetLedger({ store, pricing, runCapUsd: 10, stepMaxTokens: 15_000 });
    const first = await ledger.reserve(call('turn-1-call-1'));
    expect(first.ok && first.reservation.maxOutputTokens).toBe(4_000);
    if (first.ok) await ledger.settle(first.reservation, 0.01, 12_000);
    // The repair call of the same step has 3,000 tokens left: 10,000 input do not fit.
    const repair = await ledger.reserve(call('turn-1-call-2'));
    expect(repair.ok).toBe(false);
    if (!repair.ok) expect(repair.detail).toContain('Token ceiling reached: run:r-1/step:turn-1');
    // The next step starts with a fresh ceiling.
    expect((await ledger.reserve(call('turn-2-call-1'))).ok).toBe(true);
    expect(await store.getAccount('run:r-1')).toMatchObject({ settledUsd: 0.01, settledTokens: 12_000 });
  });
});
