import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSequenceProblems, projectRun } from '@orchestrator/kernel';
import { SqliteJournalStore } from '@orchestrator/store';
import { describe, expect, it } from 'vitest';
import { createLimiter, offlineEnvironment, runCli } from '../../test/cli-process.ts';
import { createDemoRepo } from './demo-repo.ts';

const task = 'add a function with its test';
const limited = createLimiter();

function cli(args: string[], home: string, crashAt?: string) {
  return limited(() => runCli(args, offlineEnvironment(home, { ORCHESTRATOR_CRASH_AT: crashAt ?? '' })));
}

function runArgs(repo: string): string[] {
  return ['run', task, '--repo', repo, '--fault', 'builder:planted-bug', '--json'];
}

async function journalOf(home: string) {
  const store = SqliteJournalStore.open(join(home, 'journal.db'));
  try {
    const [run] = await store.listRuns();
    return { runId: run!.runId, events: await store.read(run!.runId) };
  } finally {
    await store.close();
  }
}

/** The uninterrupted run every resumed run is compared with: made once, shared by every crash point. */
let referenceRun: Promise<{ diff: string; kinds: string[] }> | undefined;
function reference() {
  referenceRun ??= (async () => {
    const home = mkdtempSync(join(tmpdir(), 'orchestrator-crash-ref-'));
    const outcome = await cli(runArgs(createDemoRepo()), home);
    expect(outcome.status, outcome.stderr).toBe(0);
    const expected = JSON.parse(outcome.stdout) as { status: string; diff: string; turns: number };
    expect(expected.status).toBe('converged');
    expect(expected.diff).toContain('test/slugify.acceptance.test.mjs');
    const kinds = projectRun('reference', (await journalOf(home)).events).turns.map((turn) => turn.kind);
    return { diff: expected.diff, kinds };
  })();
  return referenceRun;
}

describe.concurrent('a run killed with SIGKILL and resumed', () => {
  // The reference journal (39 events): run-start 1, baseline test-run 2, architect 3-7, test-writer 8-14 (message 11,
  // patch-apply 12, red test-run 13), builder 15-21 (message 18, patch-apply 19, green test-run 20), critic 22-26,
  // builder 27-33, critic 34-38, run-end. Crash before the baseline ran (1) and after (2); after a model call returned
  // but before its message (5: the response is replayed); during the Test-writer's call (9); after its message,
  // before its edits (11); after edits hit the disk but before they were journaled (edits-applied: the acceptance
  // test, both implementations); after a patch was journaled but before its tests ran (12: red, 19: green); after a
  // test run, before its step ended (20); just before convergence (35).
  const crashPoints = [
    'event:1',
    'event:2',
    'event:5',
    'event:9',
    'event:11',
    'edits-applied:2',
    'event:12',
    'edits-applied:3',
    'event:19',
    'event:20',
    'edits-applied:5',
    'event:35',
  ];
  // Each crash point is its own test (its own data directory and repository); they run side by side, as many at once
  // as the machine has cores.
  it.for(crashPoints)(
    'at %s reaches the same diff as an uninterrupted run, with a gap-free journal and no step run twice',
    { timeout: 600_000 },
    async (crashAt) => {
      const home = mkdtempSync(join(tmpdir(), 'orchestrator-crash-'));
      const killed = await cli(runArgs(createDemoRepo()), home, crashAt);
      expect(killed.signal, `${crashAt}: ${killed.stderr}`).toBe('SIGKILL');
      const { runId, events: before } = await journalOf(home);
      expect(before.at(-1)?.type, crashAt).not.toBe('run-end');

      const resumed = await cli(['resume', runId, '--json'], home);
      expect(resumed.status, `${crashAt}: ${resumed.stderr} ${resumed.stdout.slice(0, 2000)}`).toBe(0);
      const result = JSON.parse(resumed.stdout) as { status: string; diff: string };
      expect(result.status, crashAt).toBe('converged');
      const expected = await reference();
      expect(result.diff, crashAt).toBe(expected.diff);

      const { events } = await journalOf(home);
      expect(findSequenceProblems(events), crashAt).toEqual([]);
      expect(events.slice(0, before.length), crashAt).toEqual(before);
      const messageTurns = events
        .filter((event) => event.type === 'message')
        .map((event) => (event.data as { turn: number }).turn);
      expect(new Set(messageTurns).size, crashAt).toBe(messageTurns.length);
      expect(
        events.filter((event) => event.type === 'patch-apply'),
        crashAt,
      ).toHaveLength(3);
      // The baseline once, red once (for the expected reason), green failing on the planted bug, green passing.
      const testRuns = events
        .filter((event) => event.type === 'test-run')
        .map((event) => event.data as { phase: string; exitCode: number; verdict?: { expectedReason: boolean } });
      expect(
        testRuns.map((run) => [run.phase, run.exitCode === 0]),
        crashAt,
      ).toEqual([
        ['check', true],
        ['red', false],
        ['green', false],
        ['green', true],
      ]);
      expect(testRuns[1]?.verdict?.expectedReason, crashAt).toBe(true);
      expect(
        projectRun(runId, events).turns.map((turn) => turn.kind),
        crashAt,
      ).toEqual(expected.kinds);
    },
  );
});
