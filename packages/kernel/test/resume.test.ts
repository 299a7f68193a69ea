// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes.
import { InMemoryJournalStore, InMemoryWorkspaceProvider } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { resumeRun, startRun } from '../src/debate/debate-loop.ts';
import type { KernelCheckpoint } from '../src/journal/run-journal.ts';
import { findSequenceProblems, projectRun } from '../src/journal/run-projection.ts';
import { callsOf, defaultLimits, roles, sampleFiles, testRuntime } from './kernel-fixture.ts';

class SimulatedCrash extends Error {}

const input = {
  task: 'add a function with its test',
  repo: '/repo',
  roles: roles({ builder: 'scripted-v1+planted-bug' }),
  limits: defaultLimits,
  runId: 'r-resume',
};

async function baseline() {
  const runtime = testRuntime();
  const checkpoints: KernelCheckpoint[] = [];
  runtime.onCheckpoint = (checkpoint) => checkpoints.push(checkpoint);
  const result = await startRun(runtime, input);
  return { result, checkpoints, calls: callsOf(runtime), events: await runtime.store.read(result.runId) };
}

describe('resume after a crash', () => {
  it('at every checkpoint: same final diff, gap-free journal, no step executed twice', async () => {
    const reference = await baseline();
    expect(reference.result.status).toBe('converged');
    expect(reference.checkpoints.some((checkpoint) => checkpoint.kind === 'edits-applied')).toBe(true);
    for (let crashAt = 1; crashAt < reference.checkpoints.length; crashAt += 1) {
      const store = new InMemoryJournalStore();
      const workspaces = new InMemoryWorkspaceProvider(sampleFiles);
      const crashing = testRuntime({ store, workspaces });
      let seen = 0;
      crashing.onCheckpoint = () => {
        seen += 1;
        if (seen === crashAt) throw new SimulatedCrash(`crash at checkpoint ${crashAt}`);
      };
      await expect(startRun(crashing, input)).rejects.toBeInstanceOf(SimulatedCrash);
      const resuming = testRuntime({ store, workspaces });
      const result = await resumeRun(resuming, input.runId);
      const label = `crash at ${JSON.stringify(reference.checkpoints[crashAt - 1])}`;
      expect(result.status, label).toBe('converged');
      expect(result.diff, label).toBe(reference.result.diff);
      const events = await store.read(input.runId);
      expect(findSequenceProblems(events), label).toEqual([]);
      const messageTurns = events
        .filter((event) => event.type === 'message')
        .map((event) => (event.data as { turn: number }).turn);
      expect(new Set(messageTurns).size, label).toBe(messageTurns.length);
      const stepEnds = events.filter((event) => event.type === 'step-end').map((event) => event.stepId);
      expect(new Set(stepEnds).size, label).toBe(stepEnds.length);
      expect(events.filter((event) => event.type === 'patch-apply').length, label).toBe(2);
      expect(callsOf(crashing) + callsOf(resuming), label).toBe(reference.calls);
      expect(
        projectRun(input.runId, events).turns.map((turn) => turn.kind),
        label,
      ).toEqual(projectRun(input.runId, reference.events).turns.map((turn) => turn.kind));
    }
  });

  it('resuming a converged run changes nothing', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, { ...input, task: 'add a README section', roles: roles() });
    const before = await runtime.store.read(result.runId);
    const again = await resumeRun(runtime, result.runId);
    expect(again.status).toBe('converged');
    expect(again.diff).toBe(result.diff);
    expect(await runtime.store.read(result.runId)).toHaveLength(before.length);
  });

  it('refuses an unknown run id with a hint', async () => {
    await expect(resumeRun(testRuntime(), 'r-missing')).rejects.toMatchObject({ code: 'run-not-found' });
  });
});
