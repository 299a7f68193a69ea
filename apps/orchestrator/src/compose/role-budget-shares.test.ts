import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BudgetReservationRequest,
  CappedBudgetLedger,
  defaultRoleBudgetShares,
  type PricingHook,
  resumeRun,
  startRun,
} from '@orchestrator/kernel';
import { configSchema } from '@orchestrator/spec';
import { openBudgetStores } from '@orchestrator/store';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultLimits, roles, testRuntime } from '../../../../packages/kernel/test/kernel-fixture.ts';
import { openBudgetWiring } from './budget-wiring.ts';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const dataDir = () => mkdtempSync(join(tmpdir(), 'role-shares-'));

/** $3 / Mtok input, $15 / Mtok output, $3.75 / Mtok cache write: a call of 10k in + 4k out holds $0.0975. */
const price = {
  provider: 'openai',
  model: 'priced-x',
  aliases: [],
  input: 3,
  output: 15,
  cacheWrite: 3.75,
  cacheRead: 0.3,
  contextWindow: 128_000,
  checkedAt: '2026-12-01',
};

describe('each role spends only its share of a capped run (the split plan --dry-run prints)', () => {
  it('the CLI ledger stops a role at its share while the run is under its cap; resume --max-usd grows every share', async () => {
    const config = configSchema.parse({ prices: [price], budget: { maxUsd: 1 } });
    const wiring = await openBudgetWiring({ config, dataDir: dataDir() });
    closers.push(() => wiring.close());
    const { ledger, pricing } = wiring;
    const call = (role: string, callId: string): BudgetReservationRequest => {
      const sizes = { inputTokens: 10_000, maxOutputTokens: 4_000 };
      return {
        runId: 'r-1',
        callId,
        role,
        provider: 'openai',
        model: 'priced-x',
        ...sizes,
        worstCaseUsd: pricing.worstCaseUsd({ provider: 'openai', model: 'priced-x', ...sizes }),
      };
    };
    const builderShareUsd = 1 * (defaultRoleBudgetShares.builder ?? 0);
    let granted = 0;
    let refusal: string | undefined;
    for (let index = 1; index <= 10 && refusal === undefined; index += 1) {
      const reserved = await ledger.reserve(call('builder', `builder-${index}`));
      if (!reserved.ok) refusal = reserved.detail;
      else {
        granted += 1;
        await ledger.settle(reserved.reservation, reserved.reservation.reservedUsd);
      }
    }
    // $0.35 holds three full calls and one clamped one; the fifth is refused, far below the $1 cap.
    expect(granted).toBe(4);
    const spend = await ledger.runSpend('r-1');
    expect(spend.settledUsd).toBeLessThanOrEqual(builderShareUsd + 1e-9);
    expect(spend.settledUsd).toBeGreaterThan(builderShareUsd - 0.0975);
    expect(spend.settledUsd).toBeLessThan(1);
    expect(refusal).toContain('Budget exhausted for the builder');
    expect(refusal).toContain('35% of the $1.000000 cap');
    expect(refusal).toContain('orchestrator resume r-1 --max-usd <more>');
    // The other roles keep their shares.
    expect((await ledger.reserve(call('critic', 'critic-1'))).ok).toBe(true);
    // A higher cap grows the builder's share with it.
    await ledger.prepareResume('r-1', 2);
    expect((await ledger.reserve(call('builder', 'builder-after-resume'))).ok).toBe(true);
    const builderAccount = CappedBudgetLedger.roleAccountId('r-1', 'builder');
    expect(builderAccount).toBe('run:r-1/role:builder');
  });

  it('a run whose Builder would spend more than its share pauses naming the Builder; resume --max-usd finishes it', async () => {
    const stores = await openBudgetStores({ dataDir: dataDir() });
    closers.push(() => stores.close());
    // The Builder's model reads its prompt at $400 / Mtok: its first call alone holds more than its 35% of $1.
    const perMillion = (model: string) => (model === 'pricey' ? { input: 400, output: 1 } : { input: 1, output: 1 });
    const pricing: PricingHook = {
      costOfUsage: ({ model, usage }) =>
        (usage.inputTokens * perMillion(model).input + usage.outputTokens * perMillion(model).output) / 1e6,
      worstCaseUsd: ({ model, inputTokens, maxOutputTokens }) =>
        (inputTokens * perMillion(model).input + maxOutputTokens * perMillion(model).output) / 1e6,
    };
    const ledger = new CappedBudgetLedger({
      store: stores.budget,
      pricing,
      runCapUsd: 1,
      roleShares: defaultRoleBudgetShares,
    });
    const runtime = { ...testRuntime({ ledger }), pricing };
    const paused = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles({ builder: 'pricey' }),
      limits: defaultLimits,
      maxUsd: 1,
    });
    expect(paused).toMatchObject({ status: 'paused', pause: { reason: 'budget-exhausted' } });
    expect(paused.pause?.detail).toContain('Budget exhausted for the builder');
    expect(paused.pause?.detail).toContain(`orchestrator resume ${paused.runId} --max-usd`);
    const spend = await ledger.runSpend(paused.runId);
    expect(spend.settledUsd).toBeGreaterThan(0);
    expect(spend.settledUsd).toBeLessThan(0.35);
    const calls = await runtime.store.read(paused.runId);
    expect(calls.filter((event) => event.type === 'model-call-start').map((event) => event.data)).not.toContainEqual(
      expect.objectContaining({ role: 'builder' }),
    );

    await ledger.prepareResume(paused.runId, 5);
    const resumed = await resumeRun(runtime, paused.runId, { changes: { maxUsd: 5 } });
    expect(resumed.status).toBe('converged');
  });
});
