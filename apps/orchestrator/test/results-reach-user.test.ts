// End to end, through the real CLI on the offline scripted model: a converged run's result reaches the user's
// repository (a commit on its branch, --apply into a clean working tree, resume --open-pr, a local merge that
// fast-forwards their base branch) and `gc` leaves no worktree or branch of finished runs behind.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoRepo } from '../src/compose/demo-repo.ts';
import { offlineEnvironment, runCli } from './cli-process.ts';

const timeout = 1_200_000;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

function runIdOf(stdout: string): string {
  const runId = /run (r-[a-z0-9]{10})/.exec(stdout)?.[1];
  if (runId === undefined) throw new Error(`no run id in:\n${stdout}`);
  return runId;
}

function branchOf(stdout: string): string {
  const branch = /branch (orchestrator\/\S+)/.exec(stdout)?.[1];
  if (branch === undefined) throw new Error(`no branch in:\n${stdout}`);
  return branch;
}

function runBranches(repo: string): string[] {
  return git(repo, 'branch', '--list', 'orchestrator/*', '--format=%(refname:short)')
    .split('\n')
    .filter((line) => line !== '');
}

describe('results that reach the user', () => {
  it(
    'a converged run commits on its branch, resume --open-pr delivers it once, the merge reaches the base branch, gc cleans up',
    async () => {
      const home = mkdtempSync(join(tmpdir(), 'orchestrator-results-'));
      const env = offlineEnvironment(home);
      const repo = createDemoRepo();
      const base = git(repo, 'rev-parse', 'HEAD').trim();

      const run = await runCli(['run', 'add a README section', '--repo', repo, '--sandbox', 'none'], env);
      expect(run.status, run.stderr).toBe(0);
      const runId = runIdOf(run.stdout);
      const branch = branchOf(run.stdout);
      // The printed branch holds the run's commit, on top of the base, in the user's own repository.
      expect(git(repo, 'rev-parse', `${branch}^`).trim()).toBe(base);
      expect(git(repo, 'log', '-1', '--format=%B', branch)).toContain(`Orchestrator-Run: ${runId}`);
      expect(git(repo, 'show', `${branch}:README.md`)).toContain('## Usage');
      // The user's working tree and HEAD are untouched without --apply.
      expect(git(repo, 'status', '--porcelain')).toBe('');
      expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(base);
      // Fetchable: a clone of the repository switches to the branch and sees the change.
      const clone = join(mkdtempSync(join(tmpdir(), 'orchestrator-clone-')), 'clone');
      git(tmpdir(), 'clone', '--quiet', repo, clone);
      git(clone, 'switch', '--quiet', branch);
      expect(readFileSync(join(clone, 'README.md'), 'utf8')).toContain('## Usage');
      // The run cleaned up its worktree when it ended; the branch stays.
      expect(existsSync(join(home, 'worktrees', runId))).toBe(false);
      expect(runBranches(repo)).toEqual([branch]);

      // resume --open-pr delivers the converged run: one pull request, however often it is asked.
      const first = await runCli(['resume', runId, '--open-pr', '--repo', repo, '--sandbox', 'none'], env);
      expect(first.status, first.stderr + first.stdout).toBe(0);
      expect(first.stdout).toContain('Pull request #1');
      const again = await runCli(['resume', runId, '--open-pr', '--repo', repo, '--sandbox', 'none'], env);
      expect(again.status, again.stderr).toBe(0);
      const listed = JSON.parse((await runCli(['pr', 'list', '--state', 'all', '--repo', repo, '--json'], env)).stdout);
      expect(listed.pullRequests ?? listed).toHaveLength(1);

      // Merging in the local forge fast-forwards the user's checked-out, clean main, working tree included.
      const merge = await runCli(['pr', 'merge', '1', '--repo', repo], env);
      expect(merge.status, merge.stdout + merge.stderr).toBe(0);
      expect(merge.stdout).toContain('fast-forwarded');
      expect(git(repo, 'show', 'main:README.md')).toContain('## Usage');
      expect(readFileSync(join(repo, 'README.md'), 'utf8')).toContain('## Usage');
      expect(git(repo, 'status', '--porcelain')).toBe('');

      // gc: a dry run removes nothing, then the finished run's worktree and branch are gone.
      const dry = await runCli(['gc', '--dry-run', '--json', '--repo', repo], env);
      expect(JSON.parse(dry.stdout).runs).toEqual([expect.objectContaining({ runId, action: 'would-remove' })]);
      expect(runBranches(repo)).toEqual([branch]);
      const gc = await runCli(['gc', '--json', '--repo', repo], env);
      expect(gc.status, gc.stderr).toBe(0);
      expect(JSON.parse(gc.stdout).runs).toEqual([expect.objectContaining({ runId, action: 'removed' })]);
      expect(runBranches(repo)).toEqual([]);
      expect(existsSync(join(home, 'worktrees', runId))).toBe(false);
      expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain(runId);
    },
    timeout,
  );

  it(
    '--apply puts the change into a clean working tree and refuses a dirty one, losing nothing',
    async () => {
      const env = () => offlineEnvironment(mkdtempSync(join(tmpdir(), 'orchestrator-apply-')));
      const clean = createDemoRepo();
      const dirty = createDemoRepo();
      const task = 'add a README section';
      const args = (repo: string) => ['run', task, '--repo', repo, '--sandbox', 'none', '--apply'];
      writeFileSync(join(dirty, 'notes.txt'), 'my unsaved notes\n');
      const [applied, refused] = await Promise.all([runCli(args(clean), env()), runCli(args(dirty), env())]);

      expect(applied.status, applied.stderr).toBe(0);
      expect(readFileSync(join(clean, 'README.md'), 'utf8')).toContain('## Usage');
      expect(git(clean, 'status', '--porcelain')).toBe(' M README.md\n');

      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('apply-worktree-dirty');
      expect(refused.stderr).toContain('notes.txt');
      expect(readFileSync(join(dirty, 'notes.txt'), 'utf8')).toBe('my unsaved notes\n');
      expect(readFileSync(join(dirty, 'README.md'), 'utf8')).not.toContain('## Usage');
      // The change is not lost either: it is committed on the run's branch.
      expect(git(dirty, 'show', `${branchOf(refused.stdout)}:README.md`)).toContain('## Usage');
    },
    timeout,
  );

  it(
    'a failing test run shows its last lines, command and exit code in the run output and in runs show; gc keeps the paused run',
    async () => {
      const env = offlineEnvironment(mkdtempSync(join(tmpdir(), 'orchestrator-failing-')));
      const repo = createDemoRepo();
      writeFileSync(
        join(repo, 'test/broken.test.js'),
        "import { test } from 'node:test';\ntest('broken', () => { throw new Error('the \\u001b[31mdatabase is unreachable'); });\n",
      );
      git(repo, 'add', '-A');
      git(repo, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '--quiet', '-m', 'broken');
      const run = await runCli(['run', 'add a README section', '--repo', repo, '--sandbox', 'none'], env);
      expect(run.status, run.stderr).toBe(5);
      expect(run.stdout).toContain('tests-failing');
      expect(run.stdout).toContain('last lines of `npm test` (exit 1):');
      expect(run.stdout).toContain('database is unreachable');
      expect(run.stdout).not.toContain('\u001b');
      const shown = await runCli(['runs', 'show', runIdOf(run.stdout), '--repo', repo], env);
      expect(shown.stdout).toContain('last lines of `npm test` (exit 1):');
      expect(shown.stdout).toContain('database is unreachable');
      // A paused run keeps its worktree, and gc leaves it and its branch alone.
      const runId = runIdOf(run.stdout);
      expect(existsSync(join(env.ORCHESTRATOR_HOME ?? '', 'worktrees', runId))).toBe(true);
      const gc = await runCli(['gc', '--json', '--repo', repo], env);
      expect(JSON.parse(gc.stdout).runs).toEqual([
        expect.objectContaining({ runId, action: 'kept', reason: 'the run is paused' }),
      ]);
      expect(runBranches(repo)).toEqual([branchOf(run.stdout)]);
      expect(existsSync(join(env.ORCHESTRATOR_HOME ?? '', 'worktrees', runId))).toBe(true);
    },
    timeout,
  );
});
