import { describe, expect, it } from 'vitest';
import { resumeRun, startRun } from '../src/debate/debate-loop.ts';
import type {
  BudgetLedger,
  BudgetReservation,
  BudgetReservationRequest,
  BudgetReserveResult,
} from '../src/model/budget-ledger.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

/** A ledger that grants a fixed number of calls, as a capped ledger refuses once the cap is reached. */
class CountingLedger implements BudgetLedger {
  granted = 0;
  settled = 0;
  private readonly calls: number;
  constructor(calls: number) {
    this.calls = calls;
  }
  async reserve(request: BudgetReservationRequest): Promise<BudgetReserveResult> {
    if (this.granted >= this.calls)
      return { ok: false, reason: 'budget', detail: `Budget of ${this.calls} calls exhausted.` };
    this.granted += 1;
    return {
      ok: true,
      reservation: { id: request.callId, reservedUsd: 0.01, maxOutputTokens: request.maxOutputTokens },
    };
  }
  async settle(_reservation: BudgetReservation): Promise<void> {
    this.settled += 1;
  }
  async release(): Promise<void> {}
}

async function eventTypes(runtime: ReturnType<typeof testRuntime>, runId: string): Promise<string[]> {
  return (await runtime.store.read(runId)).map((event) => event.type);
}

describe('stop rules pause the run with a reason', () => {
  it('turn cap: pauses after maxTurns, and resuming with a higher cap converges', async () => {
    const runtime = testRuntime();
    const paused = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: { ...defaultLimits, maxTurns: 2 },
    });
    expect(paused).toMatchObject({ status: 'paused', turns: 2, pause: { reason: 'turn-cap' } });
    expect(paused.pause?.detail).toMatch(/--max-turns/);
    const again = await resumeRun(runtime, paused.runId);
    expect(again).toMatchObject({ status: 'paused', turns: 2, pause: { reason: 'turn-cap' } });
    const resumed = await resumeRun(runtime, paused.runId, { changes: { maxTurns: 3 } });
    expect(resumed).toMatchObject({ status: 'converged', turns: 3 });
  });

  it('budget: a refused reservation pauses before the call is made', async () => {
    const ledger = new CountingLedger(2);
    const runtime = testRuntime({ ledger });
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    expect(result).toMatchObject({
      status: 'paused',
      turns: 3,
      pause: { reason: 'budget-exhausted', detail: 'Budget of 2 calls exhausted.' },
    });
    expect(runtime.models.reduce((total, model) => total + model.calls.length, 0)).toBe(2);
    expect(ledger.settled).toBe(2);
    const types = await eventTypes(runtime, result.runId);
    expect(types.filter((type) => type === 'model-call-start')).toHaveLength(2);
    expect(types.slice(-2)).toEqual(['step-end', 'run-pause']);
  });

  it('stagnation: the same diff twice in a row', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a LICENSE file',
      repo: '/repo',
      roles: roles({ critic: 'scripted-v1+always-revise' }),
      limits: defaultLimits,
    });
    expect(result).toMatchObject({ status: 'paused', pause: { reason: 'stagnation' } });
    expect(result.pause?.detail).toMatch(/same diff/);
    expect(result.turns).toBe(4);
  });

  it('stagnation: the same proposal twice in a row', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles({ critic: 'scripted-v1+always-reject' }),
      limits: { ...defaultLimits, maxRejections: 5 },
      critiqueProposals: true,
    });
    expect(result).toMatchObject({ status: 'paused', turns: 3, pause: { reason: 'stagnation' } });
    expect(result.pause?.detail).toMatch(/same proposal/);
  });

  it('deadlock: the Critic rejects maxRejections times in a row', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles({ critic: 'scripted-v1+always-reject' }),
      limits: { ...defaultLimits, maxRejections: 1 },
    });
    expect(result).toMatchObject({ status: 'paused', turns: 3, pause: { reason: 'deadlock' } });
    expect(result.diff).toContain('## Usage');
  });

  it('time cap: pauses when the run has been active longer than maxMinutes', async () => {
    const runtime = { ...testRuntime(), now: () => Date.now() + 61 * 60_000 };
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    expect(result).toMatchObject({ status: 'paused', turns: 0, pause: { reason: 'time-cap' } });
  });

  it('a paused run resumed without changes counts stagnation afresh but keeps the turn cap', async () => {
    const runtime = testRuntime();
    const first = await startRun(runtime, {
      task: 'add a LICENSE file',
      repo: '/repo',
      roles: roles({ critic: 'scripted-v1+always-revise' }),
      limits: defaultLimits,
    });
    expect(first.pause?.reason).toBe('stagnation');
    const second = await resumeRun(runtime, first.runId);
    expect(second.pause?.reason).toBe('stagnation');
    expect(second.turns).toBeGreaterThan(first.turns);
    expect(await eventTypes(runtime, first.runId)).toContain('run-resume');
  });
});
