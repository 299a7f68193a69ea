import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAll } from '../src/commit-all.ts';
import { GitWorkspaceProvider } from '../src/git-workspace-provider.ts';
import { applyRunChange, fastForwardBranch } from '../src/run-branch-lifecycle.ts';
import { createRepository, git, temporaryDirectory } from './support/git-fixture.ts';

let scratch: { path: string; dispose: () => Promise<void> };
let repo: string;
let dataDir: string;
const author = { name: 'Orchestrator', email: 'orchestrator@example.com' };

beforeEach(async () => {
  scratch = await temporaryDirectory('run-branches-');
  repo = path.join(scratch.path, 'repo');
  dataDir = path.join(scratch.path, 'data');
  await createRepository(repo, { 'README.md': '# demo\n', 'src/app.ts': 'export const answer = 42;\n' });
});
afterEach(async () => {
  await scratch.dispose();
});

/** A run that committed a README change on its branch, its worktree already removed. */
async function committedRun(provider: GitWorkspaceProvider, runId = 'r-1') {
  const workspace = await provider.open({ repo, runId, slug: 'readme' });
  await writeFile(path.join(workspace.root, 'README.md'), '# demo\n\n## Usage\n');
  await commitAll(workspace, { message: 'add usage', author });
  await provider.remove(runId);
  return workspace;
}

describe('a run branch in the user repository', () => {
  it('--apply puts the committed change into a clean working tree, unstaged', async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    const run = await committedRun(provider);
    const applied = await applyRunChange({ repo, baseCommit: run.baseCommit, branch: run.branch });
    expect(applied.files).toEqual(['README.md']);
    expect(await readFile(path.join(repo, 'README.md'), 'utf8')).toBe('# demo\n\n## Usage\n');
    expect(git(repo, 'status', '--porcelain')).toBe(' M README.md\n');
  });

  it('--apply refuses a working tree with any change or untracked file and leaves it as it was', async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    const run = await committedRun(provider);
    await writeFile(path.join(repo, 'src/app.ts'), 'export const answer = 43;\n');
    await writeFile(path.join(repo, 'notes.txt'), 'mine\n');
    await expect(applyRunChange({ repo, baseCommit: run.baseCommit, branch: run.branch })).rejects.toMatchObject({
      code: 'apply-worktree-dirty',
      message: expect.stringContaining('notes.txt'),
    });
    expect(await readFile(path.join(repo, 'README.md'), 'utf8')).toBe('# demo\n');
    expect(await readFile(path.join(repo, 'src/app.ts'), 'utf8')).toBe('export const answer = 43;\n');
  });

  it('--apply on a base that moved on conflicts cleanly: nothing is half-applied', async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    const run = await committedRun(provider);
    await writeFile(path.join(repo, 'README.md'), '# renamed\n');
    git(repo, 'commit', '--quiet', '-am', 'user edit');
    await expect(applyRunChange({ repo, baseCommit: run.baseCommit, branch: run.branch })).rejects.toMatchObject({
      code: 'apply-conflict',
    });
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('records list the runs, and removeWithBranch deletes worktree, branch and record', async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    const run = await committedRun(provider);
    await provider.open({ repo, runId: 'r-2', slug: 'other' });
    expect((await provider.records()).map((record) => record.runId)).toEqual(['r-1', 'r-2']);
    expect(await provider.removeWithBranch('r-2')).toEqual({ branchDeleted: true });
    expect(existsSync(provider.worktreePath('r-2'))).toBe(false);
    expect(git(repo, 'branch', '--list', 'orchestrator/*')).toBe(`  ${run.branch}\n`);
    expect((await provider.records()).map((record) => record.runId)).toEqual(['r-1']);
  });
});

describe('fastForwardBranch', () => {
  async function aheadOfMain(): Promise<{ commit: string; base: string }> {
    const base = git(repo, 'rev-parse', 'HEAD');
    git(repo, 'switch', '--quiet', '-c', 'feature');
    await writeFile(path.join(repo, 'README.md'), '# demo\n\nmerged\n');
    git(repo, 'commit', '--quiet', '-am', 'merged work');
    const commit = git(repo, 'rev-parse', 'HEAD').trim();
    return { commit, base };
  }

  it('moves a branch that is not checked out, ref only', async () => {
    const { commit } = await aheadOfMain();
    expect(await fastForwardBranch({ repo, branch: 'main', commit })).toMatchObject({ status: 'updated' });
    expect(git(repo, 'rev-parse', 'main').trim()).toBe(commit);
    expect(await fastForwardBranch({ repo, branch: 'main', commit })).toMatchObject({ status: 'up-to-date' });
  });

  it('merges --ff-only into the clean checked-out branch, and leaves a dirty one alone with the command to run', async () => {
    const { commit } = await aheadOfMain();
    git(repo, 'switch', '--quiet', 'main');
    await writeFile(path.join(repo, 'src/app.ts'), 'dirty\n');
    const refused = await fastForwardBranch({ repo, branch: 'main', commit });
    expect(refused).toMatchObject({
      status: 'checked-out-dirty',
      hint: expect.stringContaining(`merge --ff-only ${commit}`),
    });
    expect(await readFile(path.join(repo, 'src/app.ts'), 'utf8')).toBe('dirty\n');
    git(repo, 'checkout', '--quiet', '--', 'src/app.ts');
    expect(await fastForwardBranch({ repo, branch: 'main', commit })).toMatchObject({ status: 'updated' });
    expect(await readFile(path.join(repo, 'README.md'), 'utf8')).toBe('# demo\n\nmerged\n');
  });

  it('never moves a branch that went its own way', async () => {
    const { commit } = await aheadOfMain();
    git(repo, 'switch', '--quiet', 'main');
    await writeFile(path.join(repo, 'src/app.ts'), 'other\n');
    git(repo, 'commit', '--quiet', '-am', 'diverged');
    const before = git(repo, 'rev-parse', 'main');
    expect(await fastForwardBranch({ repo, branch: 'main', commit })).toMatchObject({ status: 'not-fast-forward' });
    expect(git(repo, 'rev-parse', 'main')).toBe(before);
  });
});
