import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteBudgetStore, SqliteJournalStore } from '@orchestrator/store';
import { describe, expect, it } from 'vitest';
import { offlineEnvironment } from '../../test/cli-process.ts';
import { createDemoRepo } from './demo-repo.ts';

const bin = new URL('../bin.ts', import.meta.url).pathname;

function cli(args: string[], home: string, crashAt = '') {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: offlineEnvironment(home, { ORCHESTRATOR_CRASH_AT: crashAt }),
  });
}

async function onlyRun(home: string) {
  const store = SqliteJournalStore.open(join(home, 'journal.db'));
  try {
    const [run] = await store.listRuns();
    return { runId: run!.runId, events: await store.read(run!.runId) };
  } finally {
    await store.close();
  }
}

async function budgetOf(home: string, runId: string) {
  const budget = SqliteBudgetStore.open(join(home, 'journal.db'));
  try {
    return { holds: await budget.openHolds(runId), account: await budget.getAccount(`run:${runId}`) };
  } finally {
    await budget.close();
  }
}

describe('a capped run killed between reserving and settling a model call', () => {
  it('leaves the hold open; resume settles it before continuing, keeps the cap and converges', {
    // Three full runs, one after another: minutes on a loaded machine.
    timeout: 600_000,
  }, async () => {
    const args = (repo: string) => ['run', 'add a README section', '--repo', repo, '--max-usd', '1', '--json'];
    const referenceHome = mkdtempSync(join(tmpdir(), 'orchestrator-budget-ref-'));
    expect(cli(args(createDemoRepo()), referenceHome).status).toBe(0);
    const firstCall = (await onlyRun(referenceHome)).events.find((event) => event.type === 'model-call-start');
    expect(firstCall).toBeDefined();

    const home = mkdtempSync(join(tmpdir(), 'orchestrator-budget-crash-'));
    const crashed = cli(args(createDemoRepo()), home, `event:${firstCall!.seq}`);
    expect(crashed.signal).toBe('SIGKILL');
    const { runId } = await onlyRun(home);
    const before = await budgetOf(home, runId);
    expect(before.holds).toHaveLength(1);
    expect(before.account?.capUsd).toBe(1);

    const resumed = cli(['resume', runId, '--json'], home);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'converged' });
    const after = await budgetOf(home, runId);
    expect(after.holds).toHaveLength(0);
    expect(after.account).toMatchObject({ capUsd: 1, reservedUsd: 0 });
  });
});
