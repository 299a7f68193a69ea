import { CappedBudgetLedger } from '@orchestrator/kernel/budget/capped-budget-ledger';
import type { BudgetReservation } from '@orchestrator/kernel/model/budget-ledger';
import type { PricingHook } from '@orchestrator/kernel/model/pricing-hook';
import type { BudgetStore } from '@orchestrator/spec';
import fc from 'fast-check';

/** One simulated model call: its size, its model's prices and how it ends. */
export interface SimulatedCall {
  inputTokens: number;
  maxOutputTokens: number;
  /** USD per million input and output tokens of the call's model. */
  inputPrice: number;
  outputPrice: number;
  /** `settle`: the call returns and costs `usedFraction` of its worst case; `release`: it failed unbilled;
   * `unknown`: a cut stream, settled at the hold; `crash`: the process dies between reserve and settle. */
  outcome: 'settle' | 'release' | 'unknown' | 'crash';
  usedFraction: number;
  /** Which of the concurrent ledgers (connections, as separate processes would have) makes the call. */
  ledgerIndex: number;
}

export const simulatedCallArbitrary: fc.Arbitrary<SimulatedCall> = fc.record({
  inputTokens: fc.integer({ min: 1, max: 200_000 }),
  maxOutputTokens: fc.integer({ min: 1, max: 32_000 }),
  inputPrice: fc.constantFrom(0, 0.1, 0.15, 0.8, 1.25, 2.5, 3, 15),
  outputPrice: fc.constantFrom(0, 0.4, 0.6, 4, 10, 15, 75),
  outcome: fc.constantFrom('settle', 'settle', 'settle', 'release', 'unknown', 'crash'),
  usedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  ledgerIndex: fc.integer({ min: 0, max: 3 }),
});

/** Prices per model id `in/out` (USD per million tokens); cache writes cost 1.25× input (the premium). */
const pricing: PricingHook = {
  costOfUsage: () => 0,
  worstCaseUsd: ({ model, inputTokens, maxOutputTokens }) => {
    const [input = 0, output = 0] = model.split('/').map(Number);
    return (inputTokens * input * 1.25 + maxOutputTokens * output) / 1e6;
  },
};

export interface PropertyOutcome {
  capUsd: number;
  settledUsd: number;
  reservedUsd: number;
  openHolds: number;
  grantedCalls: number;
  /** Settled USD expected from the calls (min(actual, hold) + holds of unknown and crashed calls). */
  expectedSettledUsd: number;
}

/**
 * Drives `calls` concurrently through several ledgers (one per store connection) against one run cap, drops the
 * reservations of "crashed" calls, settles them with `settleOrphans` from a fresh ledger, and reports the totals.
 */
export async function simulateCalls(
  stores: readonly BudgetStore[],
  runId: string,
  capUsd: number,
  calls: readonly SimulatedCall[],
): Promise<PropertyOutcome> {
  const ledgers = stores.map((store) => new CappedBudgetLedger({ store, pricing, runCapUsd: capUsd }));
  await ledgers[0]?.openRun(runId);
  let expectedSettledUsd = 0;
  let grantedCalls = 0;
  await Promise.all(
    calls.map(async (call, index) => {
      const ledger = ledgers[call.ledgerIndex % ledgers.length];
      if (ledger === undefined) throw new Error('no ledger');
      const model = `${call.inputPrice}/${call.outputPrice}`;
      const worstCaseUsd = pricing.worstCaseUsd({
        provider: 'simulated',
        model,
        inputTokens: call.inputTokens,
        maxOutputTokens: call.maxOutputTokens,
      });
      const result = await ledger.reserve({
        runId,
        callId: `${runId}-call-${index}`,
        role: 'builder',
        provider: 'simulated',
        model,
        inputTokens: call.inputTokens,
        maxOutputTokens: call.maxOutputTokens,
        worstCaseUsd,
      });
      if (!result.ok) return;
      grantedCalls += 1;
      const reservation: BudgetReservation = result.reservation;
      if (reservation.maxOutputTokens > call.maxOutputTokens) throw new Error('a clamp raised the output cap');
      if (call.outcome === 'settle') {
        // The real cost may exceed the hold when a provider over-bills; the ledger caps it at the hold.
        const actualUsd = reservation.reservedUsd * call.usedFraction * 1.1;
        await ledger.settle(reservation, actualUsd, reservation.maxOutputTokens);
        expectedSettledUsd += Math.min(actualUsd, reservation.reservedUsd);
      } else if (call.outcome === 'release') {
        await ledger.release(reservation);
      } else if (call.outcome === 'unknown') {
        await ledger.settleUnknown(reservation);
        expectedSettledUsd += reservation.reservedUsd;
      } else {
        expectedSettledUsd += reservation.reservedUsd; // crashed: left open, settled in full on resume
      }
    }),
  );
  const [firstStore] = stores;
  if (firstStore === undefined) throw new Error('no store');
  await new CappedBudgetLedger({ store: firstStore, pricing }).settleOrphans(runId);
  const account = await firstStore.getAccount(CappedBudgetLedger.runAccountId(runId));
  return {
    capUsd,
    settledUsd: account?.settledUsd ?? 0,
    reservedUsd: account?.reservedUsd ?? 0,
    openHolds: (await firstStore.openHolds(runId)).length,
    grantedCalls,
    expectedSettledUsd,
  };
}
