import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalForge } from '../src/index.ts';
import { createSandboxRepository, createWorktreeWithCommit, git, temporaryDirectory } from './sandbox-repository.ts';

const forges: LocalForge[] = [];
afterEach(async () => {
  for (const forge of forges.splice(0)) await forge.close();
});

function setUp() {
  const repo = createSandboxRepository();
  const dataDir = temporaryDirectory('data');
  const forge = new LocalForge({ dataDir, sourceRepository: repo });
  forges.push(forge);
  const worktree = createWorktreeWithCommit(repo, 'orchestrator/r-1-add-license', { LICENSE: 'MIT License\n' });
  return { repo, dataDir, forge, worktree, branch: 'orchestrator/r-1-add-license' };
}

describe('LocalForge', () => {
  it('pushes into a bare repository under the data directory and opens one pull request per head branch', async () => {
    const { repo, dataDir, forge, worktree, branch } = setUp();
    const userMain = git(repo, 'rev-parse', 'main');

    const push = await forge.pushBranch({ workingCopy: worktree, branch });
    expect(push.updated).toBe(true);
    expect(forge.bareRepositoryPath.startsWith(join(dataDir, 'forge'))).toBe(true);
    expect(git(forge.bareRepositoryPath, 'rev-parse', `refs/heads/${branch}`)).toBe(push.sha);
    expect((await forge.pushBranch({ workingCopy: worktree, branch })).updated).toBe(false);

    const first = await forge.openPullRequest({
      title: 'Add LICENSE',
      body: 'body',
      base: 'main',
      head: branch,
      labels: ['orchestrator'],
    });
    const second = await forge.openPullRequest({
      title: 'Add LICENSE again',
      body: 'other',
      base: 'main',
      head: branch,
      labels: ['orchestrator', 'bot'],
    });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.pullRequest.number).toBe(first.pullRequest.number);
    expect(second.pullRequest.labels).toEqual(['orchestrator', 'bot']);
    expect(await forge.listPullRequests()).toHaveLength(1);
    expect(first.pullRequest.url).toBe(`local-forge:${forge.repository}/pull/1`);

    const diff = await forge.getDiff(1);
    expect(diff).toContain('+++ b/LICENSE');
    expect(diff).toContain('+MIT License');
    expect(git(repo, 'rev-parse', 'main')).toBe(userMain);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('survives reopening: records live in SQLite in the data directory', async () => {
    const { repo, dataDir, forge, worktree, branch } = setUp();
    await forge.pushBranch({ workingCopy: worktree, branch });
    await forge.openPullRequest({ title: 'Add LICENSE', body: 'body', base: 'main', head: branch });
    await forge.close();
    expect(existsSync(join(dataDir, 'forge', 'pull-requests.sqlite'))).toBe(true);
    const reopened = new LocalForge({ dataDir, sourceRepository: repo });
    forges.push(reopened);
    expect((await reopened.findOpenPullRequest(branch))?.title).toBe('Add LICENSE');
  });

  it('refuses to merge while a required check fails, then merges for real into the bare base branch', async () => {
    const { forge, worktree, branch } = setUp();
    await forge.pushBranch({ workingCopy: worktree, branch });
    const { pullRequest } = await forge.openPullRequest({ title: 'Add LICENSE', body: '', base: 'main', head: branch });
    await forge.setCheckStatus(pullRequest.number, {
      name: 'orchestrator/tests',
      state: 'failure',
      description: '1 failed',
    });
    await forge.setCheckStatus(pullRequest.number, { name: 'advisory', state: 'failure', required: false });

    const refused = await forge.mergePullRequest(pullRequest.number);
    expect(refused).toMatchObject({ merged: false, reason: 'checks-failing' });
    expect(refused.merged ? '' : refused.message).toContain('orchestrator/tests (failure)');

    await forge.setCheckStatus(pullRequest.number, { name: 'orchestrator/tests', state: 'success' });
    const merged = await forge.mergePullRequest(pullRequest.number);
    expect(merged.merged).toBe(true);
    const mainSha = git(forge.bareRepositoryPath, 'rev-parse', 'refs/heads/main');
    expect(merged.merged && merged.sha).toBe(mainSha);
    expect(git(forge.bareRepositoryPath, 'show', 'main:LICENSE')).toBe('MIT License');
    expect(git(forge.bareRepositoryPath, 'rev-list', '--parents', '-n', '1', 'main').split(' ')).toHaveLength(3);

    const after = await forge.getPullRequest(pullRequest.number);
    expect(after?.state).toBe('merged');
    expect(after?.mergeCommitSha).toBe(mainSha);
    expect(await forge.getDiff(pullRequest.number)).toContain('+MIT License');
    expect(await forge.mergePullRequest(pullRequest.number)).toMatchObject({ merged: false, reason: 'not-open' });
    // A new PR for the same head can be opened once the first is merged.
    expect(await forge.findOpenPullRequest(branch)).toBeUndefined();
  });

  it('reports a conflict instead of merging', async () => {
    const { repo, forge, worktree, branch } = setUp();
    const other = createWorktreeWithCommit(repo, 'orchestrator/r-2-license', { LICENSE: 'Apache\n' });
    await forge.pushBranch({ workingCopy: worktree, branch });
    await forge.pushBranch({ workingCopy: other, branch: 'orchestrator/r-2-license' });
    const first = await forge.openPullRequest({ title: 'MIT', body: '', base: 'main', head: branch });
    const second = await forge.openPullRequest({
      title: 'Apache',
      body: '',
      base: 'main',
      head: 'orchestrator/r-2-license',
    });
    expect((await forge.mergePullRequest(first.pullRequest.number)).merged).toBe(true);
    const conflict = await forge.mergePullRequest(second.pullRequest.number);
    expect(conflict).toMatchObject({ merged: false, reason: 'conflict' });
    expect((await forge.getPullRequest(second.pullRequest.number))?.state).toBe('open');
  });

  it('closes, records reviews and reviewers, and updates the head on a new push', async () => {
    const { forge, worktree, branch } = setUp();
    await forge.pushBranch({ workingCopy: worktree, branch });
    const { pullRequest } = await forge.openPullRequest({
      title: 'Add LICENSE',
      body: '',
      base: 'main',
      head: branch,
      reviewers: ['alice'],
    });
    await forge.requestReviewers(pullRequest.number, ['alice', 'bob']);
    const comment = await forge.addReviewComment(pullRequest.number, {
      body: 'Use SPDX',
      path: 'LICENSE',
      line: 1,
      verdict: 'request-changes',
    });
    expect(comment).toMatchObject({ author: 'orchestrator', verdict: 'request-changes', path: 'LICENSE', line: 1 });
    expect(await forge.listReviewComments(pullRequest.number)).toHaveLength(1);

    writeFileSync(join(worktree, 'LICENSE'), 'SPDX-License-Identifier: MIT\n');
    git(worktree, 'commit', '--quiet', '-am', 'spdx');
    const push = await forge.pushBranch({ workingCopy: worktree, branch });
    const updated = await forge.getPullRequest(pullRequest.number);
    expect(updated?.headSha).toBe(push.sha);
    expect(updated?.reviewers).toEqual(['alice', 'bob']);
    expect(await forge.getDiff(pullRequest.number)).toContain('+SPDX-License-Identifier: MIT');

    const closed = await forge.closePullRequest(pullRequest.number);
    expect(closed.state).toBe('closed');
    expect(await forge.listPullRequests()).toHaveLength(0);
    expect(await forge.listPullRequests({ state: 'all' })).toHaveLength(1);
    await expect(forge.getDiff(99)).rejects.toMatchObject({ code: 'forge-pull-request-not-found' });
  });

  it("fast-forwards the forge's base when the user's branch moved ahead", async () => {
    const { repo, forge, worktree, branch } = setUp();
    await forge.pushBranch({ workingCopy: worktree, branch });
    await forge.openPullRequest({ title: 'Add LICENSE', body: '', base: 'main', head: branch });
    writeFileSync(join(repo, 'CHANGELOG.md'), '# Changes\n');
    git(repo, 'add', 'CHANGELOG.md');
    git(repo, 'commit', '--quiet', '-m', 'changelog');
    const later = createWorktreeWithCommit(repo, 'orchestrator/r-3-notice', { NOTICE: 'notice\n' });
    await forge.pushBranch({ workingCopy: later, branch: 'orchestrator/r-3-notice' });
    const second = await forge.openPullRequest({
      title: 'Notice',
      body: '',
      base: 'main',
      head: 'orchestrator/r-3-notice',
    });
    expect(git(forge.bareRepositoryPath, 'rev-parse', 'refs/heads/main')).toBe(git(repo, 'rev-parse', 'main'));
    const diff = await forge.getDiff(second.pullRequest.number);
    expect(diff).toContain('+++ b/NOTICE');
    expect(diff).not.toContain('CHANGELOG');
  });

  it('refuses a pull request for a branch that was never pushed', async () => {
    const { forge } = setUp();
    await expect(forge.openPullRequest({ title: 't', body: '', base: 'main', head: 'nope' })).rejects.toMatchObject({
      code: 'forge-branch-not-pushed',
    });
  });
});
