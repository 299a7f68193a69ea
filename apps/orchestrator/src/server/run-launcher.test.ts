import type { ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalEvent, NewJournalEvent } from '@orchestrator/spec';
import { InMemoryJournalStore } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { RunLauncher } from './run-launcher.ts';

/** A child process stand-in: records its arguments; the test makes it journal and exit. */
class FakeChild extends EventEmitter {
  exitCode: number | null = null;
  unref(): void {}
  exit(code: number): void {
    this.exitCode = code;
    this.emit('exit', code);
    this.emit('close', code);
  }
}

function setup(onSpawn: (args: string[], child: FakeChild) => void = () => {}) {
  const store = new InMemoryJournalStore();
  const spawned: { args: string[]; child: FakeChild }[] = [];
  const spawnProcess = ((_command: string, args: readonly string[]) => {
    const child = new FakeChild();
    const cliArgs = args.slice(1);
    spawned.push({ args: cliArgs, child });
    onSpawn(cliArgs, child);
    return child as unknown as ChildProcess;
  }) as unknown as typeof spawn;
  const launcher = new RunLauncher({
    store,
    dataDir: mkdtempSync(join(tmpdir(), 'launcher-')),
    env: {},
    pollMs: 1,
    spawnProcess,
  });
  return { store, launcher, spawned };
}

async function journal(store: InMemoryJournalStore, runId: string, events: NewJournalEvent[]): Promise<JournalEvent[]> {
  await store.createRun(runId, {});
  return store.append(runId, events);
}

const start: NewJournalEvent = { type: 'run-start', data: { task: 't' } };
const operatorPause: NewJournalEvent = { type: 'run-pause', data: { reason: 'operator', detail: '' } };

describe('RunLauncher', () => {
  it('starts `orchestrator run` with its own run id and answers once run-start is journaled', async () => {
    const { store, launcher, spawned } = setup((args) => {
      const runId = args[args.indexOf('--run-id') + 1]!;
      void journal(store, runId, [start]);
    });
    const { runId } = await launcher.launchRun({ task: '--add a README section', labels: { feature: 'docs' } });
    expect(runId).toMatch(/^r-[0-9a-z]{10}$/);
    expect(spawned[0]?.args).toEqual([
      'run',
      '--json',
      '--run-id',
      runId,
      '--demo-repo',
      '--label',
      'feature=docs',
      '--',
      '--add a README section',
    ]);
  });

  it('reports a run that could not start', async () => {
    const { launcher } = setup((_args, child) => queueMicrotask(() => child.exit(2)));
    await expect(launcher.launchRun({ task: 'x', repo: '/nowhere' })).rejects.toMatchObject({
      code: 'run-start-failed',
    });
  });

  it('resumes a paused run in a new child when a resume is recorded', async () => {
    const { store, launcher, spawned } = setup();
    const events = await journal(store, 'r-1', [start, operatorPause, { type: 'run-resume', data: { by: 'api' } }]);
    await launcher.onControl('r-1', events.slice(2));
    expect(spawned.map((entry) => entry.args)).toEqual([['resume', 'r-1', '--json']]);
  });

  it('leaves a resume to the child still driving the run, and resumes after it stopped if needed', async () => {
    const { store, launcher, spawned } = setup((args, child) => {
      if (args[0] === 'run') void journal(store, args[args.indexOf('--run-id') + 1]!, [start]);
      else queueMicrotask(() => child.exit(0));
    });
    const { runId } = await launcher.launchRun({ task: 't' });
    const resume = await store.append(runId, [operatorPause, { type: 'run-resume', data: { by: 'api' } }]);
    await launcher.onControl(runId, resume.slice(1));
    expect(spawned).toHaveLength(1);
    spawned[0]!.child.exit(0);
    await launcher.settled();
    expect(spawned.map((entry) => entry.args[0])).toEqual(['run', 'resume']);
  });

  it('resumes a run paused for approval once its last approval is decided, not before', async () => {
    const { store, launcher, spawned } = setup();
    const request = (approvalId: string): NewJournalEvent => ({
      type: 'approval-request',
      data: { approvalId, gate: 'pr-open', reason: 'r' },
    });
    const decide = (approvalId: string): NewJournalEvent => ({
      type: 'approval-decision',
      data: { approvalId, decision: 'approve', by: 'api' },
    });
    await journal(store, 'r-2', [
      start,
      request('a'),
      request('b'),
      { type: 'run-pause', data: { reason: 'approval-required', detail: '' } },
    ]);
    await launcher.onControl('r-2', await store.append('r-2', [decide('a')]));
    expect(spawned).toHaveLength(0);
    await launcher.onControl('r-2', await store.append('r-2', [decide('b')]));
    expect(spawned.map((entry) => entry.args)).toEqual([['resume', 'r-2', '--json']]);
  });

  it('does not resume a run paused by an operator when an approval is decided', async () => {
    const { store, launcher, spawned } = setup();
    await journal(store, 'r-3', [
      start,
      { type: 'approval-request', data: { approvalId: 'a', gate: 'g', reason: 'r' } },
      operatorPause,
    ]);
    const decided = await store.append('r-3', [
      { type: 'approval-decision', data: { approvalId: 'a', decision: 'reject', by: 'api' } },
    ]);
    await launcher.onControl('r-3', decided);
    expect(spawned).toHaveLength(0);
  });
});
