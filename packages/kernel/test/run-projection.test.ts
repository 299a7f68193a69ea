import { describe, expect, it } from 'vitest';
import { startRun } from '../src/debate/debate-loop.ts';
import { emptyRunState, findSequenceProblems, foldRunEvents, projectRun } from '../src/journal/run-projection.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

describe('run state is a projection of the journal', () => {
  it('folding the journal event by event gives the same state as projecting it at once', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a function with its test',
      repo: '/repo',
      roles: roles({ builder: 'scripted-v1+planted-bug' }),
      limits: defaultLimits,
    });
    const events = await runtime.store.read(result.runId);
    const whole = projectRun(result.runId, events);
    const incremental = emptyRunState(result.runId);
    for (const event of events) foldRunEvents(incremental, [event]);
    expect(incremental).toEqual(whole);
    expect(whole).toMatchObject({ status: 'converged', modelCalls: 5, lastSeq: events.length, openTurn: undefined });
    expect(whole.turns.map((turn) => `${turn.role}:${turn.kind}`)).toEqual([
      'architect:propose',
      'builder:implement',
      'critic:verify',
      'builder:implement',
      'critic:verify',
    ]);
    expect(whole.finalDiff).toBe(result.diff);
  });

  it('an interrupted journal projects to a running run with its open turn', async () => {
    const runtime = testRuntime();
    const result = await startRun(runtime, {
      task: 'add a README section',
      repo: '/repo',
      roles: roles(),
      limits: defaultLimits,
    });
    const events = await runtime.store.read(result.runId);
    const cut = events.findIndex((event) => event.type === 'patch-apply');
    const state = projectRun(result.runId, events.slice(0, cut));
    expect(state.status).toBe('running');
    expect(state.turns).toHaveLength(1);
    expect(state.openTurn).toMatchObject({
      turn: 2,
      role: 'builder',
      kind: 'implement',
      message: { kind: 'implement' },
    });
    expect(state.openTurn?.preImageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(state.pendingRequests.size).toBe(0);
    const midCall = events.findIndex((event) => event.type === 'model-call-start');
    const killedDuringCall = projectRun(result.runId, events.slice(0, midCall + 1));
    expect([...killedDuringCall.pendingRequests.keys()]).toEqual(['turn-1-call-1']);
  });

  it('reports gaps and duplicates in seq', () => {
    const event = (seq: number) => ({ runId: 'r', seq, type: 'x', at: '', schemaVersion: 1, data: {} });
    expect(findSequenceProblems([event(1), event(2), event(3)])).toEqual([]);
    expect(findSequenceProblems([event(1), event(3)])).toEqual(['event #2 has seq 3']);
    expect(findSequenceProblems([event(1), event(1)])).toEqual(['event #2 has seq 1']);
  });
});
