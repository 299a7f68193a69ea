import type { JournalEvent, ModelRequest, NewJournalEvent, RecordedRole } from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes.
import { InMemoryJournalStore, ScriptedModel } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { holdUntilOperatorPause } from '../src/control/hold-until-operator-pause.ts';
import { resumeRun, startRun } from '../src/debate/debate-loop.ts';
import { findSequenceProblems } from '../src/journal/run-projection.ts';
import { defaultLimits, roles, type TestRuntime, testRuntime } from './kernel-fixture.ts';

type Hold = (request: ModelRequest, store: InMemoryJournalStore) => Promise<void>;

/** A runtime whose `+hold` models run `hold` before answering (the test appends control events there, as the API would). */
function controlledRuntime(hold: Hold): TestRuntime {
  const runtime = testRuntime();
  runtime.modelFor = (binding: RecordedRole) => {
    const model = new ScriptedModel({ modelId: binding.model, hold: (request) => hold(request, runtime.store) });
    runtime.models.push(model);
    return model;
  };
  return runtime;
}

/** Appends events as the API does: on top of whatever the run has now. */
async function appendAsOperator(store: InMemoryJournalStore, runId: string, events: NewJournalEvent[]) {
  const run = await store.getRun(runId);
  return store.append(runId, events, { expectedLastSeq: run?.lastSeq ?? 0 });
}

const pause: NewJournalEvent = { type: 'run-pause', data: { reason: 'operator', detail: 'Paused from the console.' } };

/** Holds once: the first held call of a run appends `events`; later calls go through. */
function onceAppending(events: NewJournalEvent[]): Hold {
  let done = false;
  return async (request, store) => {
    if (done) return;
    done = true;
    await appendAsOperator(store, request.context?.runId ?? '', events);
  };
}

const input = (builder = 'scripted-v1', architect = 'scripted-v1', critic = 'scripted-v1') => ({
  task: 'add a README section',
  repo: '/repo',
  roles: roles({ architect, builder, critic }),
  limits: defaultLimits,
  runId: 'r-control',
});

const ofType = (events: readonly JournalEvent[], type: string) => events.filter((event) => event.type === type);

describe('operator control honoured by the kernel', () => {
  it('a pause recorded mid-turn stops the run at the next step boundary; resume finishes it without redoing a turn', async () => {
    const runtime = controlledRuntime(onceAppending([pause]));
    const paused = await startRun(runtime, input('scripted-v1+hold'));
    expect(paused).toMatchObject({ status: 'paused', turns: 2, pause: { reason: 'operator' } });
    let events = await runtime.store.read('r-control');
    expect(findSequenceProblems(events)).toEqual([]);
    // The builder's turn finished after the pause arrived (its events come after it), and nothing started since.
    expect(events.at(-1)?.type).toBe('step-end');
    expect(ofType(events, 'step-start')).toHaveLength(2);

    const resumed = await resumeRun(runtime, 'r-control', { by: 'api' });
    expect(resumed.status).toBe('converged');
    expect(resumed.diff).toContain('+## Usage');
    events = await runtime.store.read('r-control');
    expect(findSequenceProblems(events)).toEqual([]);
    const stepIds = ofType(events, 'step-start').map((event) => event.stepId);
    expect(stepIds).toEqual(['turn-1', 'turn-2', 'turn-3']);
  });

  it('an instruction edited while paused is the task of every later prompt', async () => {
    const edit: NewJournalEvent = {
      type: 'instruction-edit',
      data: { instruction: 'add a LICENSE file', by: 'console' },
    };
    const runtime = controlledRuntime(onceAppending([pause, edit]));
    const paused = await startRun(runtime, input('scripted-v1', 'scripted-v1+hold'));
    expect(paused).toMatchObject({ status: 'paused', turns: 1 });
    const resumed = await resumeRun(runtime, 'r-control', { by: 'api' });
    expect(resumed.status).toBe('converged');
    // The Builder implemented the edited instruction: a LICENSE file, not the README section first asked for.
    expect(resumed.diff).toContain('LICENSE');
    expect(resumed.diff).not.toContain('+## Usage');
    const tasks = runtime.models.flatMap((model) => model.calls.map((call) => call.request.context?.task));
    expect(tasks[0]).toBe('add a README section');
    expect(tasks.slice(1).every((task) => task === 'add a LICENSE file')).toBe(true);
    const events = await runtime.store.read('r-control');
    expect(events[0]).toMatchObject({ type: 'run-start', data: { task: 'add a README section' } });
  });

  it("a role's instruction edit changes only that role's prompts", async () => {
    const edit: NewJournalEvent = {
      type: 'instruction-edit',
      data: { instruction: 'add a README section; be strict about wording', role: 'critic', by: 'console' },
    };
    const runtime = controlledRuntime(onceAppending([pause, edit]));
    await startRun(runtime, input('scripted-v1+hold'));
    await resumeRun(runtime, 'r-control');
    const byRole = runtime.models.flatMap((model) =>
      model.calls.map((call) => [call.request.context?.role, call.request.context?.task]),
    );
    expect(byRole).toContainEqual(['critic', 'add a README section; be strict about wording']);
    expect(byRole.filter(([role]) => role !== 'critic').every(([, task]) => task === 'add a README section')).toBe(
      true,
    );
  });

  it('re-runs a requested step: a second step-start of the same step, both outcomes journaled, the run goes on', async () => {
    const runtime = controlledRuntime(onceAppending([pause]));
    const paused = await startRun(runtime, input('scripted-v1', 'scripted-v1', 'scripted-v1+hold'));
    expect(paused).toMatchObject({ status: 'paused', turns: 3 });
    await appendAsOperator(runtime.store, 'r-control', [
      { type: 'instruction-edit', data: { instruction: 'add a README section about usage', by: 'console' } },
      { type: 'step-rerun', data: { stepId: 'turn-1', by: 'console' } },
    ]);
    const callsBefore = runtime.models.reduce((total, model) => total + model.calls.length, 0);
    const resumed = await resumeRun(runtime, 'r-control', { by: 'api' });
    expect(resumed.status).toBe('converged');
    const events = await runtime.store.read('r-control');
    expect(findSequenceProblems(events)).toEqual([]);
    expect(ofType(events, 'step-start').map((event) => event.stepId)).toEqual(['turn-1', 'turn-2', 'turn-3', 'turn-1']);
    const proposals = ofType(events, 'message')
      .filter((event) => event.stepId === 'turn-1')
      .map((event) => (event.data as { message: { summary: string } }).message.summary);
    expect(proposals).toHaveLength(2);
    expect(proposals[0]).toContain('"add a README section"');
    expect(proposals[1]).toContain('"add a README section about usage"');
    // The architect was asked again (not replayed from the journal).
    expect(runtime.models.reduce((total, model) => total + model.calls.length, 0)).toBe(callsBefore + 1);
    // Resuming the ended run does not play the re-run again.
    await resumeRun(runtime, 'r-control');
    expect(ofType(await runtime.store.read('r-control'), 'step-start')).toHaveLength(4);
  });

  it('refuses to re-run a step that edits files, saying why, and carries on', async () => {
    const runtime = controlledRuntime(onceAppending([pause]));
    await startRun(runtime, input('scripted-v1', 'scripted-v1', 'scripted-v1+hold'));
    await appendAsOperator(runtime.store, 'r-control', [{ type: 'step-rerun', data: { stepId: 'turn-2', by: 'api' } }]);
    const resumed = await resumeRun(runtime, 'r-control');
    expect(resumed.status).toBe('converged');
    const ends = ofType(await runtime.store.read('r-control'), 'step-end').filter((event) => event.stepId === 'turn-2');
    expect(ends.at(-1)).toMatchObject({
      data: { status: 'failed', result: { problem: expect.stringContaining('edits files') } },
    });
    expect(resumed.diff).toContain('+## Usage');
  });

  it('waits for a pending approval, then continues on approve', async () => {
    const runtime = controlledRuntime(onceAppending([pause]));
    await startRun(runtime, input('scripted-v1+hold'));
    await appendAsOperator(runtime.store, 'r-control', [
      { type: 'approval-request', data: { approvalId: 'a-1', gate: 'risky-path', reason: 'README.md is protected' } },
    ]);
    const waiting = await resumeRun(runtime, 'r-control');
    expect(waiting).toMatchObject({ status: 'paused', pause: { reason: 'approval-required' } });
    await appendAsOperator(runtime.store, 'r-control', [
      { type: 'approval-decision', data: { approvalId: 'a-1', decision: 'approve', by: 'console' } },
    ]);
    expect((await resumeRun(runtime, 'r-control')).status).toBe('converged');
  });

  it('a rejected approval ends the run as cancelled, keeping its diff', async () => {
    const runtime = controlledRuntime(onceAppending([pause]));
    await startRun(runtime, input('scripted-v1+hold'));
    await appendAsOperator(runtime.store, 'r-control', [
      { type: 'approval-request', data: { approvalId: 'a-1', gate: 'risky-path', reason: 'README.md is protected' } },
      { type: 'approval-decision', data: { approvalId: 'a-1', decision: 'reject', by: 'console' } },
    ]);
    const ended = await resumeRun(runtime, 'r-control');
    expect(ended.status).toBe('cancelled');
    const events = await runtime.store.read('r-control');
    expect(events.at(-1)).toMatchObject({ type: 'run-end', data: { status: 'cancelled' } });
    expect(ofType(events, 'step-start')).toHaveLength(2);
  });

  it('still fails with journal-conflict when another writer appended kernel events', async () => {
    const runtime = controlledRuntime(
      onceAppending([{ type: 'step-start', stepId: 'turn-9', data: { role: 'critic', turn: 9, kind: 'verify' } }]),
    );
    await expect(startRun(runtime, input('scripted-v1+hold'))).rejects.toMatchObject({ code: 'journal-conflict' });
  });
});

describe('holdUntilOperatorPause', () => {
  it('holds a call until an operator pause is journaled, and never again in that run', async () => {
    const store = new InMemoryJournalStore();
    await store.createRun('r-hold', {});
    await store.append('r-hold', [{ type: 'run-start', data: {} }]);
    const hold = holdUntilOperatorPause(store, { pollMs: 1 });
    const request = { context: { runId: 'r-hold' } } as ModelRequest;
    const held = hold(request);
    await store.append('r-hold', [{ type: 'run-pause', data: { reason: 'max-turns', detail: 'not an operator' } }]);
    await appendAsOperator(store, 'r-hold', [pause]);
    await held;
    // Already paused once: a later held call in this run (e.g. after resume, in another process) goes straight through.
    const secondStore = store;
    expect((await secondStore.read('r-hold')).filter((event) => event.type === 'run-pause')).toHaveLength(2);
    await hold(request);
  });
});

describe('holdUntilOperatorPause when nobody pauses', () => {
  it('gives up holding after giveUpMs, so an abandoned run does not wait forever', async () => {
    const store = new InMemoryJournalStore();
    await store.createRun('r-abandoned', {});
    await store.append('r-abandoned', [{ type: 'run-start', data: {} }]);
    const hold = holdUntilOperatorPause(store, { pollMs: 1, giveUpMs: 0 });
    await expect(hold({ context: { runId: 'r-abandoned' } } as ModelRequest)).resolves.toBeUndefined();
  });
});
