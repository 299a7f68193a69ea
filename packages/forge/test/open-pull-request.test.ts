import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Forge } from '@orchestrator/spec';
import { SqliteJournalStore } from '@orchestrator/store';
import { describe, expect, it } from 'vitest';
import { LocalForge, openPullRequest, parseProvenanceBlock, runPullRequestStep } from '../src/index.ts';
import { recordRun } from './recorded-run.ts';
import { createSandboxRepository, createWorktreeWithCommit, git, temporaryDirectory } from './sandbox-repository.ts';

const childScript = new URL('./open-pull-request-child.ts', import.meta.url).pathname;
const branch = 'orchestrator/r-1-add-license';

async function setUp() {
  const repo = createSandboxRepository();
  const worktree = createWorktreeWithCommit(repo, branch, { LICENSE: 'MIT License\n' });
  const dataDir = temporaryDirectory('data');
  const journalFile = join(dataDir, 'journal.db');
  const journal = SqliteJournalStore.open(journalFile);
  await recordRun(journal, 'r-1');
  await journal.close();
  return { repo, worktree, dataDir, journalFile };
}

function runStep(context: Awaited<ReturnType<typeof setUp>>, faultPoint?: string) {
  const { ORCHESTRATOR_FAULT_POINT: _ignored, ...environment } = process.env;
  return spawnSync(
    process.execPath,
    [childScript, context.dataDir, context.repo, context.worktree, branch, context.journalFile, 'r-1', 'r-1:open-pr'],
    {
      encoding: 'utf8',
      env: faultPoint === undefined ? environment : { ...environment, ORCHESTRATOR_FAULT_POINT: faultPoint },
    },
  );
}

async function pullRequests(context: Awaited<ReturnType<typeof setUp>>) {
  const forge = new LocalForge({ dataDir: context.dataDir, sourceRepository: context.repo });
  try {
    return await forge.listPullRequests({ state: 'all' });
  } finally {
    await forge.close();
  }
}

describe('openPullRequest', () => {
  it('opens one pull request whose body carries the provenance block, and reuses it when the step is retried', async () => {
    const context = await setUp();
    const journal = SqliteJournalStore.open(context.journalFile);
    const forge = new LocalForge({ dataDir: context.dataDir, sourceRepository: context.repo });
    try {
      const options = {
        forge,
        workspace: { root: context.worktree, branch },
        run: { runId: 'r-1', task: 'add LICENSE', baseBranch: 'main' },
        events: await journal.read('r-1'),
        idempotencyKey: 'r-1:open-pr',
      };
      const first = await openPullRequest(options);
      expect(first.created).toBe(true);
      expect(first.pullRequest.title).toBe('add LICENSE');
      const parsed = parseProvenanceBlock(first.pullRequest.body);
      expect(parsed).toMatchObject({ found: true, provenance: { runId: 'r-1' } });
      const again = await openPullRequest(options);
      expect(again).toMatchObject({ created: false, pullRequest: { number: first.pullRequest.number } });

      // After the pull request is merged, retrying the same step returns it instead of opening a new one.
      expect((await forge.mergePullRequest(first.pullRequest.number)).merged).toBe(true);
      const afterMerge = await openPullRequest(options);
      expect(afterMerge).toMatchObject({ created: false, pullRequest: { number: 1, state: 'merged' } });
      expect(await forge.listPullRequests({ state: 'all' })).toHaveLength(1);
    } finally {
      await forge.close();
      await journal.close();
    }
  });

  it('runPullRequestStep journals pr-open once and, on a retry, answers from the journal without touching the forge', async () => {
    const context = await setUp();
    const journal = SqliteJournalStore.open(context.journalFile);
    const forge = new LocalForge({ dataDir: context.dataDir, sourceRepository: context.repo });
    try {
      const step = {
        journal,
        stepId: 'open-pr',
        workspace: { root: context.worktree, branch },
        run: { runId: 'r-1', task: 'add LICENSE', baseBranch: 'main' },
      };
      const first = await runPullRequestStep({ ...step, forge });
      expect(first).toMatchObject({
        journaled: false,
        number: 1,
        headBranch: branch,
        url: `local-forge:${forge.repository}/pull/1`,
      });
      const unreachable = new Proxy({} as Forge, {
        get: () => {
          throw new Error('the forge must not be called');
        },
      });
      const retried = await runPullRequestStep({ ...step, forge: unreachable });
      expect(retried).toEqual({ journaled: true, number: 1, url: first.url, headBranch: branch });
      const recorded = (await journal.read('r-1')).filter((event) => event.type === 'pr-open');
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ stepId: 'open-pr', data: { number: 1, headBranch: branch } });
      expect(first.journaled === false && first.pullRequest.body).toContain(
        'orchestrator-idempotency-key: r-1:open-pr',
      );
    } finally {
      await forge.close();
      await journal.close();
    }
  });

  it('yields exactly one pull request when the process is SIGKILLed between push and creation, then resumed', async () => {
    const context = await setUp();
    const killed = runStep(context, 'after-push');
    expect(killed.signal).toBe('SIGKILL');
    const forge = new LocalForge({ dataDir: context.dataDir, sourceRepository: context.repo });
    expect(git(forge.bareRepositoryPath, 'rev-parse', `refs/heads/${branch}`)).toBe(
      git(context.worktree, 'rev-parse', 'HEAD'),
    );
    await forge.close();
    expect(await pullRequests(context)).toHaveLength(0);

    const resumed = runStep(context);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({ number: 1, created: true });
    const all = await pullRequests(context);
    expect(all).toHaveLength(1);
    expect(all[0]?.labels).toEqual(['orchestrator']);
  });

  it('reuses the pull request when the process is SIGKILLed right after creating it', async () => {
    const context = await setUp();
    expect(runStep(context, 'after-pull-request-create').signal).toBe('SIGKILL');
    expect(await pullRequests(context)).toHaveLength(1);
    const resumed = runStep(context);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({ number: 1, created: false });
    expect(await pullRequests(context)).toHaveLength(1);
  });
});
