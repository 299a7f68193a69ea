import { describe, expect, it } from 'vitest';
import { resumeRun, startRun } from '../src/debate/debate-loop.ts';
import type { DeliveryContext, DeliveryHook } from '../src/delivery/delivery-hook.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

const input = { task: 'add a README section', repo: '/repo', roles: roles(), limits: defaultLimits };

describe('the delivery hook', () => {
  it('runs once when the run converges, before run-end, and its events land in the journal', async () => {
    const runtime = testRuntime();
    const seen: DeliveryContext[] = [];
    runtime.deliver = async (context) => {
      seen.push(context);
      await context.append([
        { type: 'pr-open', stepId: 'deliver/pull-request', data: { number: 7, url: 'local:7', headBranch: 'b' } },
      ]);
      return { status: 'delivered' };
    };
    const result = await startRun(runtime, input);
    expect(result.status).toBe('converged');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.diff).toContain('## Usage');
    expect(seen[0]?.start.task).toBe(input.task);
    const types = (await runtime.store.read(result.runId)).map((event) => event.type);
    expect(types.slice(-2)).toEqual(['pr-open', 'run-end']);
  });

  it('pauses the run with the reason and detail of a blocked delivery, and is called again on resume', async () => {
    const runtime = testRuntime();
    let calls = 0;
    const hook: DeliveryHook = async () => {
      calls += 1;
      return calls === 1
        ? { status: 'blocked', reason: 'policy-blocked', detail: '.env:2 [secret.x] a secret' }
        : { status: 'delivered' };
    };
    runtime.deliver = hook;
    const paused = await startRun(runtime, input);
    expect(paused.status).toBe('paused');
    expect(paused.pause).toEqual({ reason: 'policy-blocked', detail: '.env:2 [secret.x] a secret' });
    expect((await runtime.store.read(paused.runId)).map((event) => event.type)).not.toContain('run-end');

    const resumed = await resumeRun(runtime, paused.runId);
    expect(resumed.status).toBe('converged');
    expect(calls).toBe(2);
  });

  it('gives the bound roles’ models through the gateway: their calls are journaled under the delivery step', async () => {
    const runtime = testRuntime();
    runtime.deliver = async (context) => {
      const model = context.modelFor('critic', 'deliver/review');
      expect(context.modelFor('reviewer', 'deliver/review')).toBeUndefined();
      await model?.generate({
        system: [{ text: 'review' }],
        messages: [{ role: 'user', content: 'Review this diff:\n\n+eval(x)\n' }],
        maxOutputTokens: 100,
        output: { name: 'review', description: 'findings', schema: { type: 'object' } },
      });
      return { status: 'delivered' };
    };
    const result = await startRun(runtime, input);
    const calls = (await runtime.store.read(result.runId)).filter(
      (event) => event.type === 'model-call-end' && event.stepId === 'deliver/review',
    );
    expect(calls).toHaveLength(1);
  });
});
