// The Forge port's conformance suite: every adapter joins with a harness factory and gets the same behaviour checked.
import type { Forge } from '@orchestrator/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorktreeWithCommit } from './sandbox-repository.ts';

export interface ForgeHarness {
  /** The adapter under test, bound to a repository whose `main` branch the forge can see. */
  forge: Forge;
  /** The user's repository (on `main`); worktrees are made from it. */
  repo: string;
  /** Releases the forge and any server. */
  close(): Promise<void>;
}

export interface ConformanceOptions {
  /** Tests an adapter cannot pass, each with the reason (as Hono's router suite does). */
  skip?: Array<{ reason: string; tests: string[] }>;
}

export function runForgeConformance(
  adapter: string,
  createHarness: () => Promise<ForgeHarness>,
  options: ConformanceOptions = {},
): void {
  const skipped = new Set(options.skip?.flatMap((entry) => entry.tests) ?? []);
  const test = (name: string, body: () => Promise<void>) => (skipped.has(name) ? it.skip : it)(name, body);
  const harnesses: ForgeHarness[] = [];
  afterEach(async () => {
    for (const harness of harnesses.splice(0)) await harness.close();
  });
  const setUp = async (branch = 'orchestrator/r-1-add-license') => {
    const harness = await createHarness();
    harnesses.push(harness);
    const worktree = createWorktreeWithCommit(harness.repo, branch, { LICENSE: 'MIT License\n' });
    const push = await harness.forge.pushBranch({ workingCopy: worktree, branch });
    return { ...harness, worktree, branch, push };
  };

  describe(`Forge conformance: ${adapter}`, () => {
    test('declares specification v1', async () => {
      const { forge } = await setUp();
      expect(forge.specificationVersion).toBe('v1');
    });

    test('a retried push of the same commit changes nothing', async () => {
      const { forge, worktree, branch, push } = await setUp();
      expect(push.updated).toBe(true);
      expect(await forge.pushBranch({ workingCopy: worktree, branch })).toEqual({ ...push, updated: false });
    });

    test('opens exactly one pull request per head branch', async () => {
      const { forge, branch, push } = await setUp();
      const first = await forge.openPullRequest({ title: 'Add LICENSE', body: 'one', base: 'main', head: branch });
      const second = await forge.openPullRequest({ title: 'Again', body: 'two', base: 'main', head: branch });
      expect(first.created).toBe(true);
      expect(second).toMatchObject({
        created: false,
        pullRequest: { number: first.pullRequest.number, title: 'Add LICENSE' },
      });
      expect(first.pullRequest).toMatchObject({ base: 'main', head: branch, headSha: push.sha, state: 'open' });
      expect(await forge.listPullRequests()).toHaveLength(1);
      expect((await forge.findOpenPullRequest(branch))?.number).toBe(first.pullRequest.number);
      expect(await forge.findOpenPullRequest('no-such-branch')).toBeUndefined();
    });

    test('adds labels and reviewers idempotently', async () => {
      const { forge, branch } = await setUp();
      const { pullRequest } = await forge.openPullRequest({
        title: 't',
        body: '',
        base: 'main',
        head: branch,
        labels: ['a'],
        reviewers: ['alice'],
      });
      await forge.addLabels(pullRequest.number, ['a', 'b']);
      await forge.requestReviewers(pullRequest.number, ['alice', 'bob']);
      const read = await forge.getPullRequest(pullRequest.number);
      expect(read?.labels).toEqual(['a', 'b']);
      expect(read?.reviewers).toEqual(['alice', 'bob']);
    });

    test('shows the diff of the head against the base', async () => {
      const { forge, branch } = await setUp();
      const { pullRequest } = await forge.openPullRequest({ title: 't', body: '', base: 'main', head: branch });
      const diff = await forge.getDiff(pullRequest.number);
      expect(diff).toContain('+++ b/LICENSE');
      expect(diff).toContain('+MIT License');
    });

    test('updates title and body', async () => {
      const { forge, branch } = await setUp();
      const { pullRequest } = await forge.openPullRequest({ title: 't', body: 'old', base: 'main', head: branch });
      const updated = await forge.updatePullRequest(pullRequest.number, { body: 'new body' });
      expect(updated).toMatchObject({ title: 't', body: 'new body' });
    });

    test('a failing required check blocks the merge; a green one lets it through, once', async () => {
      const { forge, branch } = await setUp();
      const { pullRequest } = await forge.openPullRequest({ title: 't', body: '', base: 'main', head: branch });
      await forge.setCheckStatus(pullRequest.number, { name: 'orchestrator/tests', state: 'failure' });
      expect(await forge.mergePullRequest(pullRequest.number)).toMatchObject({
        merged: false,
        reason: 'checks-failing',
      });
      await forge.setCheckStatus(pullRequest.number, {
        name: 'orchestrator/tests',
        state: 'success',
        description: 'green',
      });
      const checks = await forge.listCheckStatuses(pullRequest.number);
      expect(checks).toEqual([
        expect.objectContaining({ name: 'orchestrator/tests', state: 'success', description: 'green' }),
      ]);
      expect((await forge.mergePullRequest(pullRequest.number)).merged).toBe(true);
      expect(await forge.getPullRequest(pullRequest.number)).toMatchObject({ state: 'merged' });
      expect(await forge.mergePullRequest(pullRequest.number)).toMatchObject({ merged: false, reason: 'not-open' });
      expect(await forge.findOpenPullRequest(branch)).toBeUndefined();
    });

    test('closes without merging', async () => {
      const { forge, branch } = await setUp();
      const { pullRequest } = await forge.openPullRequest({ title: 't', body: '', base: 'main', head: branch });
      expect((await forge.closePullRequest(pullRequest.number)).state).toBe('closed');
      expect(await forge.listPullRequests()).toEqual([]);
      expect((await forge.listPullRequests({ state: 'all' })).map((pull) => pull.state)).toEqual(['closed']);
      expect((await forge.listPullRequests({ state: 'closed' })).map((pull) => pull.number)).toEqual([
        pullRequest.number,
      ]);
    });

    test('records review comments with their verdicts', async () => {
      const { forge, branch } = await setUp();
      const { pullRequest } = await forge.openPullRequest({ title: 't', body: '', base: 'main', head: branch });
      await forge.addReviewComment(pullRequest.number, { body: 'Please use SPDX', verdict: 'request-changes' });
      await forge.addReviewComment(pullRequest.number, { body: 'Fine now', verdict: 'approve' });
      const reviews = await forge.listReviewComments(pullRequest.number);
      expect(reviews.map((review) => [review.body, review.verdict])).toEqual([
        ['Please use SPDX', 'request-changes'],
        ['Fine now', 'approve'],
      ]);
    });

    test('an unknown pull request is undefined', async () => {
      const { forge } = await setUp();
      expect(await forge.getPullRequest(4242)).toBeUndefined();
    });
  });
}
