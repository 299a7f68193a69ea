import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineEnvironment } from '../../test/cli-process.ts';
import { createDemoRepo } from '../compose/demo-repo.ts';

const bin = new URL('../bin.ts', import.meta.url).pathname;

function cli(args: readonly string[], home: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: offlineEnvironment(home),
  });
  const json = () => JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as Record<string, unknown>;
  return { ...result, json };
}

interface Totals {
  calls: number;
  cachedCalls: number;
  costUsd: number;
}

describe('orchestrator runs spend', () => {
  it('reports a run and totals a feature, with the repeat run served from the response cache', {
    // Two full runs, one after another: minutes on a loaded machine.
    timeout: 600_000,
  }, () => {
    const home = mkdtempSync(join(tmpdir(), 'orchestrator-spend-'));
    const repo = createDemoRepo();
    const runArgs = ['run', 'add a README section', '--repo', repo, '--label', 'feature=readme', '--json'];
    const first = cli(runArgs, home);
    expect(first.status, first.stderr).toBe(0);
    const second = cli(runArgs, home);
    expect(second.status, second.stderr).toBe(0);
    const secondId = second.json().runId as string;

    const run = cli(['runs', 'spend', secondId, '--json'], home).json() as {
      runs: Array<{ runId: string; feature?: string; totals: Totals; byRole: Record<string, Totals> }>;
    };
    expect(run.runs).toHaveLength(1);
    expect(run.runs[0]).toMatchObject({ runId: secondId, feature: 'readme' });
    expect(run.runs[0]!.totals.calls).toBeGreaterThan(0);
    expect(run.runs[0]!.totals.cachedCalls).toBe(run.runs[0]!.totals.calls);
    expect(Object.keys(run.runs[0]!.byRole)).toEqual(expect.arrayContaining(['architect', 'builder', 'critic']));

    const feature = cli(['runs', 'spend', '--feature', 'readme', '--json'], home).json() as {
      features: Array<{ feature: string; runIds: string[]; totals: Totals }>;
      totals: Totals;
    };
    expect(feature.features).toHaveLength(1);
    expect(feature.features[0]!.runIds).toHaveLength(2);
    expect(feature.totals.calls).toBe(2 * run.runs[0]!.totals.calls);
    expect(feature.totals.cachedCalls).toBe(run.runs[0]!.totals.calls);

    const human = cli(['runs', 'spend', '--label', 'feature=readme'], home);
    expect(human.stdout).toContain('feature readme');
    expect(human.stdout).toContain('cached');
  });

  it('says what it needs, and which run is unknown', () => {
    const home = mkdtempSync(join(tmpdir(), 'orchestrator-spend-empty-'));
    const none = cli(['runs', 'spend'], home);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('[cli-missing-argument]');
    const unknown = cli(['runs', 'spend', 'r-nope', '--json'], home);
    expect(unknown.status).toBe(2);
    expect(unknown.json()).toMatchObject({ error: { code: 'run-not-found' } });
  });
});
