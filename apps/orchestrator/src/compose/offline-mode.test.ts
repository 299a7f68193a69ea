import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scriptedModelPlays, scriptedRepertoire } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { offlineEnvironment, runCli } from '../../test/cli-process.ts';
import { createDemoRepo } from './demo-repo.ts';
import { assertOfflineTaskPlayable, describeModels } from './offline-mode.ts';

const scripted = [
  { role: 'architect', provider: 'scripted', model: 'scripted-v1' },
  { role: 'builder', provider: 'scripted', model: 'scripted-v1' },
];

describe('the honest offline mode', () => {
  it('lists only tasks the scripted model really plays', () => {
    for (const entry of scriptedRepertoire) expect(scriptedModelPlays(entry), entry).toBe(true);
    expect(scriptedModelPlays('migrate the billing service to Kafka')).toBe(false);
  });

  it('refuses an unknown task on the scripted model, and lets a real model take any task', () => {
    expect(() => assertOfflineTaskPlayable(scripted, 'migrate the billing service to Kafka')).toThrow(
      expect.objectContaining({ code: 'offline-task-unknown' }),
    );
    expect(() => assertOfflineTaskPlayable(scripted, 'add a README section')).not.toThrow();
    const real = [{ role: 'builder', provider: 'anthropic', model: 'claude-sonnet-4-6' }];
    expect(() => assertOfflineTaskPlayable(real, 'migrate the billing service to Kafka')).not.toThrow();
    expect(describeModels(scripted)).toContain('offline test double');
    expect(describeModels(real)).toBe('models: builder anthropic/claude-sonnet-4-6');
  });

  it('with no key, run exits non-zero with the honest message and makes no branch, worktree, commit or run', async () => {
    const home = mkdtempSync(join(tmpdir(), 'orchestrator-offline-'));
    const repo = createDemoRepo();
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' });
    const outcome = await runCli(
      ['run', 'migrate the billing service to Kafka', '--repo', repo, '--json'],
      offlineEnvironment(home),
    );
    expect(outcome.status, outcome.stderr).toBe(2);
    const { error } = JSON.parse(outcome.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('offline-task-unknown');
    expect(error.message).toContain('add a README section');
    expect(error.hint).toContain('ANTHROPIC_API_KEY');
    expect(execFileSync('git', ['branch', '--list', 'orchestrator/*'], { cwd: repo, encoding: 'utf8' })).toBe('');
    expect(
      execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: repo, encoding: 'utf8' }).match(/^worktree /gm),
    ).toHaveLength(1);
    expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' })).toBe(head);
    expect(existsSync(join(home, 'journal.db'))).toBe(false);
  });
});
