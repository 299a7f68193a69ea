import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalForge } from '../src/index.ts';
import { createSandboxRepository, createWorktreeWithCommit, git, temporaryDirectory } from './sandbox-repository.ts';

const forges: LocalForge[] = [];
afterEach(async () => {
  for (const forge of forges.splice(0)) await forge.close();
});

async function openedPullRequest() {
  const repo = createSandboxRepository();
  const forge = new LocalForge({ dataDir: temporaryDirectory('data'), sourceRepository: repo });
  forges.push(forge);
  const branch = 'orchestrator/r-1-add-license';
  const worktree = createWorktreeWithCommit(repo, branch, { LICENSE: 'MIT License\n' });
  await forge.pushBranch({ workingCopy: worktree, branch });
  const opened = await forge.openPullRequest({ title: 'Add LICENSE', body: 'body', base: 'main', head: branch });
  return { repo, forge, worktree, branch, number: opened.pullRequest.number };
}

describe('LocalForge and the user repository', () => {
  it('a merge fast-forwards the user main, checked out and clean, working tree included', async () => {
    const { repo, forge, number } = await openedPullRequest();
    const merged = await forge.mergePullRequest(number);
    expect(merged).toMatchObject({ merged: true, userBranch: { branch: 'main', status: 'updated' } });
    if (!merged.merged) throw new Error('not merged');
    expect(git(repo, 'rev-parse', 'main')).toBe(merged.sha);
    expect(readFileSync(join(repo, 'LICENSE'), 'utf8')).toBe('MIT License\n');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('a merge leaves a dirty checked-out main alone and says which command brings it in', async () => {
    const { repo, forge, number } = await openedPullRequest();
    const before = git(repo, 'rev-parse', 'main');
    writeFileSync(join(repo, 'README.md'), '# Sandbox, edited\n');
    const merged = await forge.mergePullRequest(number);
    if (!merged.merged) throw new Error('not merged');
    expect(merged.userBranch).toMatchObject({
      status: 'not-updated',
      detail: expect.stringContaining(`merge --ff-only ${merged.sha}`),
    });
    expect(git(repo, 'rev-parse', 'main')).toBe(before);
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('# Sandbox, edited\n');
    // The merge commit was fetched: the printed command works as is.
    git(repo, 'stash', '--quiet');
    git(repo, 'merge', '--quiet', '--ff-only', merged.sha);
    expect(readFileSync(join(repo, 'LICENSE'), 'utf8')).toBe('MIT License\n');
  });

  it('push names the worktree git dir explicitly: a .git pointer redirected to another repository is refused', async () => {
    const repo = createSandboxRepository();
    const forge = new LocalForge({ dataDir: temporaryDirectory('data'), sourceRepository: repo });
    forges.push(forge);
    const branch = 'orchestrator/r-2-readme';
    const worktree = createWorktreeWithCommit(repo, branch, { 'NOTES.md': 'notes\n' });
    // Another repository's worktree, holding a commit that must never be pushed as this run's branch.
    const other = createSandboxRepository();
    const planted = createWorktreeWithCommit(other, 'planted', { 'PLANTED.md': 'planted\n' });
    writeFileSync(join(worktree, '.git'), readFileSync(join(planted, '.git'), 'utf8'));
    await expect(forge.pushBranch({ workingCopy: worktree, branch })).rejects.toMatchObject({
      code: 'workspace-git-metadata-changed',
    });
    expect(await forge.findOpenPullRequest(branch)).toBeUndefined();
    expect(() => git(forge.bareRepositoryPath, 'rev-parse', '--verify', `refs/heads/${branch}`)).toThrow();
  });
});
