import { SqliteJournalStore } from '@orchestrator/store';
import { type GitHubStandIn, startGitHubStandIn } from '@orchestrator/testing/github-stand-in/index';
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubForge, openPullRequest, parseProvenanceBlock } from '../src/index.ts';
import { recordRun } from './recorded-run.ts';
import { createSandboxRepository, createWorktreeWithCommit, git } from './sandbox-repository.ts';

const standIns: GitHubStandIn[] = [];
afterEach(async () => {
  for (const standIn of standIns.splice(0)) {
    expect(standIn.contractViolations).toEqual([]);
    await standIn.close();
  }
});

async function setUp(options: { maxPerPage?: number } = {}) {
  const standIn = await startGitHubStandIn(options);
  standIns.push(standIn);
  const forge = new GitHubForge({
    token: standIn.token,
    repository: standIn.repository,
    baseUrl: standIn.baseUrl,
    gitUrl: standIn.gitUrl,
    retryBaseMilliseconds: 1,
    paceWrites: false,
  });
  const repo = createSandboxRepository();
  await forge.pushBranch({ workingCopy: repo, branch: 'main' });
  return { standIn, forge, repo };
}

async function pushedBranch(forge: GitHubForge, repo: string, branch: string, content = 'MIT License\n') {
  const worktree = createWorktreeWithCommit(repo, branch, { LICENSE: content });
  await forge.pushBranch({ workingCopy: worktree, branch });
  return worktree;
}

const pullsTemplate = '/repos/{owner}/{repo}/pulls';

describe('GitHubForge against the GitHub stand-in', () => {
  it('pushes, opens the pull request once with labels, reviewers and provenance, and reuses it on retry', async () => {
    const { standIn, forge, repo } = await setUp();
    const branch = 'orchestrator/r-1-add-license';
    const worktree = createWorktreeWithCommit(repo, branch, { LICENSE: 'MIT License\n' });
    const journal = SqliteJournalStore.open(':memory:');
    await recordRun(journal, 'r-1');
    const options = {
      forge,
      workspace: { root: worktree, branch },
      run: { runId: 'r-1', task: 'add LICENSE', baseBranch: 'main', labels: ['orchestrator'], reviewers: ['octocat'] },
      events: await journal.read('r-1'),
      idempotencyKey: 'r-1:open-pr',
    };
    const first = await openPullRequest(options);
    expect(first.created).toBe(true);
    expect(first.push.updated).toBe(true);
    expect(first.pullRequest).toMatchObject({
      number: 1,
      url: 'https://github.com/octo-org/sandbox/pull/1',
      base: 'main',
      head: branch,
      headSha: git(worktree, 'rev-parse', 'HEAD'),
      labels: ['orchestrator'],
      reviewers: ['octocat'],
      state: 'open',
    });
    expect(parseProvenanceBlock(first.pullRequest.body)).toMatchObject({ found: true, provenance: { runId: 'r-1' } });

    const second = await openPullRequest(options);
    expect(second).toMatchObject({ created: false, pullRequest: { number: 1 } });
    expect(second.push.updated).toBe(false);
    const creations = standIn.requests.filter(
      (request) => request.method === 'POST' && request.template === pullsTemplate,
    );
    expect(creations).toHaveLength(1);
    expect(standIn.pulls.size).toBe(1);
    expect(await forge.getDiff(1)).toContain('+MIT License');
    await journal.close();
  });

  it('reuses the pull request another attempt created between lookup and create (422 already exists)', async () => {
    const { standIn, forge, repo } = await setUp();
    const branch = 'orchestrator/r-2-race';
    await pushedBranch(forge, repo, branch);
    await forge.openPullRequest({ title: 'first', body: '', base: 'main', head: branch });
    standIn.failNext('GET', pullsTemplate, [{ status: 200, body: [] }]);
    const raced = await forge.openPullRequest({ title: 'second', body: '', base: 'main', head: branch });
    expect(raced).toMatchObject({ created: false, pullRequest: { number: 1, title: 'first' } });
    expect(
      standIn.requests
        .filter((request) => request.method === 'POST' && request.template === pullsTemplate)
        .map((request) => request.status),
    ).toEqual([201, 422]);
  });

  it('follows Link pagination when listing', async () => {
    const { standIn, forge, repo } = await setUp({ maxPerPage: 2 });
    for (const index of [1, 2, 3, 4, 5]) {
      const branch = `orchestrator/r-${index}`;
      await pushedBranch(forge, repo, branch, `License ${index}\n`);
      await forge.openPullRequest({ title: `PR ${index}`, body: '', base: 'main', head: branch });
    }
    await forge.closePullRequest(2);
    expect((await forge.listPullRequests()).map((pull) => pull.number)).toEqual([5, 4, 3, 1]);
    const all = await forge.listPullRequests({ state: 'all' });
    expect(all).toHaveLength(5);
    expect((await forge.listPullRequests({ state: 'closed' })).map((pull) => pull.number)).toEqual([2]);
    const pages = standIn.requests.filter((request) => request.method === 'GET' && request.template === pullsTemplate);
    expect(pages.length).toBeGreaterThanOrEqual(3 + 3 + 1);
  });

  it('refuses to merge on a failing status, merges once green, and records reviews', async () => {
    const { forge, repo, standIn } = await setUp();
    const branch = 'orchestrator/r-3-merge';
    await pushedBranch(forge, repo, branch);
    const { pullRequest } = await forge.openPullRequest({ title: 'Add LICENSE', body: '', base: 'main', head: branch });
    await forge.setCheckStatus(pullRequest.number, {
      name: 'orchestrator/tests',
      state: 'failure',
      description: '1 failed',
    });
    expect(await forge.mergePullRequest(pullRequest.number)).toMatchObject({ merged: false, reason: 'checks-failing' });
    await forge.setCheckStatus(pullRequest.number, { name: 'orchestrator/tests', state: 'success' });
    expect((await forge.listCheckStatuses(pullRequest.number)).map((check) => `${check.name}:${check.state}`)).toEqual([
      'orchestrator/tests:success',
    ]);
    const review = await forge.addReviewComment(pullRequest.number, { body: 'Looks right', verdict: 'approve' });
    expect(review).toMatchObject({ verdict: 'approve', author: 'octo-org' });
    expect((await forge.listReviewComments(pullRequest.number)).map((item) => item.verdict)).toEqual(['approve']);

    const merged = await forge.mergePullRequest(pullRequest.number);
    expect(merged.merged).toBe(true);
    expect(git(standIn.gitUrl, 'show', 'main:LICENSE')).toBe('MIT License');
    expect(await forge.getPullRequest(pullRequest.number)).toMatchObject({ state: 'merged' });
    expect(await forge.mergePullRequest(pullRequest.number)).toMatchObject({ merged: false, reason: 'not-open' });
  });

  it('sets branch refs to commits GitHub already has, fast-forward only unless forced', async () => {
    const { standIn, forge, repo } = await setUp();
    const worktree = await pushedBranch(forge, repo, 'orchestrator/r-5');
    const head = git(worktree, 'rev-parse', 'HEAD');
    const main = git(repo, 'rev-parse', 'main');
    await forge.setBranchRef('orchestrator/copy', main);
    await forge.setBranchRef('orchestrator/copy', head);
    expect(await forge.branchSha('orchestrator/copy')).toBe(head);
    await expect(forge.setBranchRef('orchestrator/copy', main)).rejects.toMatchObject({
      code: 'forge-github-request-failed',
      details: { status: 422 },
    });
    await forge.setBranchRef('orchestrator/copy', main, true);
    expect(git(standIn.gitUrl, 'rev-parse', 'refs/heads/orchestrator/copy')).toBe(main);
    expect(standIn.requests.some((request) => request.path.endsWith('/git/refs/heads/orchestrator/copy'))).toBe(true);
  });

  it('retries a 502 transparently', async () => {
    const { standIn, forge, repo } = await setUp();
    await pushedBranch(forge, repo, 'orchestrator/r-4');
    await forge.openPullRequest({ title: 'PR', body: '', base: 'main', head: 'orchestrator/r-4' });
    standIn.failNext('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', [
      { status: 502, body: { message: 'Bad Gateway' } },
    ]);
    expect(await forge.getPullRequest(1)).toMatchObject({ number: 1 });
    expect(standIn.requests.at(-2)?.status).toBe(502);
  });

  it('reports bad credentials as a user error that never shows the token', async () => {
    const { standIn } = await setUp();
    const token = 'ghp_secretTokenThatMustNotLeak1234567890';
    const forge = new GitHubForge({
      token,
      repository: standIn.repository,
      baseUrl: standIn.baseUrl,
      gitUrl: standIn.gitUrl,
    });
    const failure = await forge.findOpenPullRequest('x').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'forge-github-unauthorized', actor: 'user' });
    const shown = JSON.stringify((failure as { toJSON(): unknown }).toJSON()) + String((failure as Error).message);
    expect(shown).not.toContain(token);
    expect(JSON.stringify((failure as Error).cause)).not.toContain(token);
    expect(() => new GitHubForge({ token, repository: 'no-slash' })).toThrow(/owner\/name/);
  });
});
