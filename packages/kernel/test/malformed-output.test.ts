import { describe, expect, it } from 'vitest';
import { startRun } from '../src/debate/debate-loop.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

const task = 'add a README section';

describe('malformed model output', () => {
  for (const fault of ['malformed-json', 'wrong-schema'] as const) {
    it(`${fault} once: one repair re-ask with the validation error, then the run converges`, async () => {
      const runtime = testRuntime();
      const result = await startRun(runtime, {
        task,
        repo: '/repo',
        roles: roles({ builder: `scripted-v1+${fault}` }),
        limits: defaultLimits,
      });
      expect(result.status).toBe('converged');
      const builder = runtime.models.find((model) => model.faults.has(fault))!;
      expect(builder.calls).toHaveLength(2);
      const repair = builder.calls[1]!.request.messages;
      expect(repair).toHaveLength(3);
      expect(repair[2]!.content).toMatch(fault === 'malformed-json' ? /not valid JSON/ : /expected string/);
    });

    it(`${fault} always: a recorded failure event and a paused run, never an exception`, async () => {
      const runtime = testRuntime();
      const result = await startRun(runtime, {
        task,
        repo: '/repo',
        roles: roles({ architect: `scripted-v1+${fault}-always` }),
        limits: { ...defaultLimits, maxRepairAttempts: 2 },
      });
      expect(result).toMatchObject({ status: 'paused', turns: 1, pause: { reason: 'malformed-output' } });
      expect(result.pause?.detail).toContain(fault === 'malformed-json' ? 'not-json' : 'wrong-schema');
      const events = await runtime.store.read(result.runId);
      expect(events.filter((event) => event.type === 'model-call-end')).toHaveLength(3);
      expect(events.find((event) => event.type === 'model-call-error')).toMatchObject({
        data: { code: 'model-output-invalid', kind: fault === 'malformed-json' ? 'not-json' : 'wrong-schema' },
      });
      expect(events.slice(-2).map((event) => [event.type, (event.data as { status?: string }).status])).toEqual([
        ['step-end', 'failed'],
        ['run-pause', undefined],
      ]);
    });
  }

  it('missing fields are reported by path in the repair prompt', async () => {
    const runtime = testRuntime();
    await startRun(runtime, {
      task,
      repo: '/repo',
      roles: roles({ critic: 'scripted-v1+wrong-schema' }),
      limits: defaultLimits,
    });
    const critic = runtime.models.find((model) => model.faults.has('wrong-schema'))!;
    expect(critic.calls[1]!.request.messages[2]!.content).toMatch(/→ at rubric/);
  });

  it('with no repair allowed, the first malformed reply pauses the run', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task,
      repo: '/repo',
      roles: roles({ builder: 'scripted-v1+malformed-json' }),
      limits: { ...defaultLimits, maxRepairAttempts: 0 },
    });
    expect(result.pause?.reason).toBe('malformed-output');
  });

  it('an overloaded provider is journaled and pauses the run with reason provider-overloaded', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task,
      repo: '/repo',
      roles: roles({ architect: 'scripted-v1+model-error' }),
      limits: defaultLimits,
    });
    expect(result).toMatchObject({ status: 'paused', pause: { reason: 'provider-overloaded' } });
    const events = await runtime.store.read(result.runId);
    expect(events.find((event) => event.type === 'model-call-error')).toMatchObject({
      data: { code: 'model-call-overloaded', kind: 'overloaded' },
    });
  });
});
