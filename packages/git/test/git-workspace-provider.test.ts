import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OrchestratorError } from '@orchestrator/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAll } from '../src/commit-all.ts';
import { GitWorkspaceProvider } from '../src/git-workspace-provider.ts';
import { createRepository, git, temporaryDirectory } from './support/git-fixture.ts';

let scratch: { path: string; dispose: () => Promise<void> };
let repo: string;
let dataDir: string;

beforeEach(async () => {
  scratch = await temporaryDirectory('git-workspace-');
  repo = path.join(scratch.path, 'repo');
  dataDir = path.join(scratch.path, 'data');
  await createRepository(repo, { 'README.md': '# demo\n', 'src/app.ts': 'export const answer = 42;\n' });
});
afterEach(async () => {
  await scratch.dispose();
});

/** Everything of the user's repository a run must not change. */
async function userState(directory: string) {
  const indexBytes = await readFile(path.join(directory, '.git', 'index'));
  return {
    status: git(directory, 'status', '--porcelain=v2', '--branch', '--untracked-files=all'),
    head: git(directory, 'rev-parse', 'HEAD'),
    symbolicHead: await readFile(path.join(directory, '.git', 'HEAD'), 'utf8'),
    branches: git(directory, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/')
      .split('\n')
      .filter((line) => !line.startsWith('refs/heads/orchestrator/')),
    index: createHash('sha256').update(indexBytes).digest('hex'),
    readme: await readFile(path.join(directory, 'README.md'), 'utf8'),
    untracked: await readFile(path.join(directory, 'notes.txt'), 'utf8'),
  };
}

const author = { name: 'Orchestrator', email: 'orchestrator@example.com' };

describe('GitWorkspaceProvider', () => {
  it('works in its own worktree and branch without touching a dirty, detached user tree', async () => {
    await writeFile(path.join(repo, 'README.md'), '# demo\nuncommitted change\n');
    await writeFile(path.join(repo, 'notes.txt'), 'untracked notes\n');
    await writeFile(path.join(repo, 'src/app.ts'), 'export const answer = 43;\n');
    git(repo, 'add', 'src/app.ts');
    git(repo, 'checkout', '--quiet', '--detach');
    const before = await userState(repo);

    const provider = new GitWorkspaceProvider({ dataDir });
    const workspace = await provider.open({ repo, runId: 'r-abc123', slug: 'Add a README section!' });
    expect(workspace.root).toBe(
      await import('node:fs/promises').then((fs) => fs.realpath(path.join(dataDir, 'worktrees', 'r-abc123'))),
    );
    expect(workspace.branch).toBe('orchestrator/r-abc123-add-a-readme-section');
    expect(workspace.baseCommit).toBe(before.head.trim());
    expect(await workspace.readFile('README.md')).toBe('# demo\n');
    expect(await workspace.readFile('notes.txt')).toBeUndefined();
    expect(await workspace.readFile('../repo/README.md')).toBeUndefined();
    expect(await workspace.readFile('.git')).toBeUndefined();

    const applied = await workspace.applyEdits([
      { kind: 'search-replace', path: 'README.md', search: '# demo\n', replace: '# demo\n\nA section.\n' },
      { kind: 'create', path: 'docs/guide.md', content: 'guide\n' },
    ]);
    expect(applied.ok).toBe(true);
    const committed = await commitAll(workspace, {
      message: 'docs: add a section',
      author,
      idempotencyKey: 'r-abc123/builder-1',
    });
    expect(committed.status).toBe('created');

    expect(await userState(repo)).toEqual(before);
    expect(git(repo, 'rev-parse', workspace.branch).trim()).toBe(committed.commit);
  });

  it('reopens the same worktree for the same run id, even after it was deleted', async () => {
    const provider = new GitWorkspaceProvider({ dataDir, branchPrefix: 'bot/' });
    const first = await provider.open({ repo, runId: 'run-1', slug: 'fix bug' });
    expect(first.branch).toBe('bot/run-1-fix-bug');
    await first.applyEdits([{ kind: 'create', path: 'work.txt', content: 'in progress\n' }]);
    const second = await new GitWorkspaceProvider({ dataDir, branchPrefix: 'bot/' }).open({
      repo,
      runId: 'run-1',
      slug: 'fix bug',
    });
    expect(second.root).toBe(first.root);
    expect(second.baseCommit).toBe(first.baseCommit);
    expect(await second.readFile('work.txt')).toBe('in progress\n');

    await commitAll(second, { message: 'work', author });
    await provider.remove('run-1');
    await expect(stat(first.root)).rejects.toThrow();
    git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'user moves on');
    const third = await provider.open({ repo, runId: 'run-1', slug: 'fix bug' });
    expect(third.baseCommit).toBe(first.baseCommit);
    expect(await third.readFile('work.txt')).toBe('in progress\n');
  });

  it("keeps a data directory inside the repository out of the user's git status", async () => {
    await writeFile(path.join(repo, 'notes.txt'), 'untracked notes\n');
    const before = await userState(repo);
    const workspace = await new GitWorkspaceProvider({ dataDir: path.join(repo, '.orchestrator') }).open({
      repo,
      runId: 'inside',
      slug: 'x',
    });
    await workspace.applyEdits([{ kind: 'create', path: 'made.txt', content: 'made\n' }]);
    expect(await userState(repo)).toEqual(before);
  });

  it("recreates a worktree deleted by hand without pruning the user's other worktrees", async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    const userWorktree = path.join(scratch.path, 'user-worktree');
    git(repo, 'worktree', 'add', '--quiet', '-b', 'user-feature', userWorktree);
    const first = await provider.open({ repo, runId: 'gone', slug: 'x' });
    await first.applyEdits([{ kind: 'create', path: 'kept.txt', content: 'kept\n' }]);
    await commitAll(first, { message: 'keep', author });
    await rm(first.root, { recursive: true, force: true });
    await rm(userWorktree, { recursive: true, force: true });
    const again = await provider.open({ repo, runId: 'gone', slug: 'x' });
    expect(await again.readFile('kept.txt')).toBe('kept\n');
    const registered = git(repo, 'worktree', 'list', '--porcelain');
    expect(registered).toContain(`worktree ${userWorktree}`);
    expect(registered.split('\n').filter((line) => line === `branch refs/heads/${again.branch}`)).toHaveLength(1);
  });

  it('never overwrites a worktree switched to another branch, nor steals a branch checked out elsewhere', async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    const workspace = await provider.open({ repo, runId: 'switched', slug: 'x' });
    await writeFile(path.join(workspace.root, 'precious.txt'), 'uncommitted work\n');
    git(workspace.root, 'switch', '--quiet', '-c', 'someone-else');
    await expect(provider.open({ repo, runId: 'switched', slug: 'x' })).rejects.toMatchObject({
      code: 'workspace-branch-mismatch',
    });
    expect(await readFile(path.join(workspace.root, 'precious.txt'), 'utf8')).toBe('uncommitted work\n');

    const other = await provider.open({ repo, runId: 'taken', slug: 'y' });
    await provider.remove('taken');
    git(repo, 'worktree', 'add', '--quiet', path.join(scratch.path, 'elsewhere'), other.branch);
    await expect(provider.open({ repo, runId: 'taken', slug: 'y' })).rejects.toMatchObject({
      code: 'workspace-branch-in-use',
    });
  });

  it('opens the same run once when asked concurrently', async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    const [first, second] = await Promise.all([
      provider.open({ repo, runId: 'together', slug: 'x' }),
      provider.open({ repo, runId: 'together', slug: 'x' }),
    ]);
    expect(second.root).toBe(first.root);
    expect(
      git(repo, 'worktree', 'list')
        .split('\n')
        .filter((line) => line.includes('together')),
    ).toHaveLength(1);
  });

  it('refuses a directory that is not a git repository with a hint', async () => {
    const plain = path.join(scratch.path, 'plain');
    await mkdir(plain);
    const error = await new GitWorkspaceProvider({ dataDir })
      .open({ repo: plain, runId: 'r1', slug: 'x' })
      .catch((caught) => caught);
    expect(OrchestratorError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'repo-not-git', actor: 'user' });
    expect(error.hint).toContain('git init');
  });

  it('refuses an unknown base ref and a repository without commits', async () => {
    const provider = new GitWorkspaceProvider({ dataDir });
    await expect(provider.open({ repo, runId: 'r2', slug: 'x', baseRef: 'no-such-branch' })).rejects.toMatchObject({
      code: 'base-ref-not-found',
    });
    const empty = path.join(scratch.path, 'empty');
    await mkdir(empty);
    git(empty, 'init', '--quiet');
    await expect(provider.open({ repo: empty, runId: 'r3', slug: 'x' })).rejects.toMatchObject({
      code: 'repo-no-commits',
    });
  });

  it('diffs against the base commit including untracked files, without staging in the worktree', async () => {
    const workspace = await new GitWorkspaceProvider({ dataDir }).open({ repo, runId: 'r4', slug: 'diff' });
    await workspace.applyEdits([
      { kind: 'search-replace', path: 'src/app.ts', search: '42', replace: '43' },
      { kind: 'create', path: 'new-file.txt', content: 'fresh\n' },
      { kind: 'delete', path: 'README.md' },
    ]);
    await commitAll(workspace, { message: 'partial', author });
    await workspace.applyEdits([{ kind: 'create', path: 'later.txt', content: 'later\n' }]);
    const diff = await workspace.diff();
    expect(diff).toContain('+export const answer = 43;');
    expect(diff).toContain('diff --git a/new-file.txt b/new-file.txt');
    expect(diff).toContain('diff --git a/later.txt b/later.txt');
    expect(diff).toContain('deleted file mode');
    expect(git(workspace.root, 'status', '--porcelain')).toBe('?? later.txt\n');
    expect(await workspace.listFiles()).toEqual(['later.txt', 'new-file.txt', 'src/app.ts']);
  });
});

describe('commitAll', () => {
  it('writes provenance and opt-in co-author trailers, and is idempotent by step key', async () => {
    const workspace = await new GitWorkspaceProvider({ dataDir }).open({ repo, runId: 'r5', slug: 'trailers' });
    await workspace.applyEdits([{ kind: 'create', path: 'a.txt', content: 'a\n' }]);
    const options = {
      message: 'feat: add a\n\nBody line.',
      author,
      coAuthoredBy: [{ name: 'Ada Lovelace', email: 'ada@example.com' }],
      trailers: { 'Orchestrator-Models': 'builder=claude-sonnet-4-5' },
      idempotencyKey: 'r5/step-3',
      date: new Date('2026-01-02T03:04:05Z'),
    };
    const first = await commitAll(workspace, options);
    expect(first.status).toBe('created');
    const trailers = git(workspace.root, 'log', '-1', '--format=%(trailers:only,unfold)');
    expect(trailers).toBe(
      'Orchestrator-Models: builder=claude-sonnet-4-5\nOrchestrator-Run: r5\nOrchestrator-Step: r5/step-3\nCo-authored-by: Ada Lovelace <ada@example.com>\n\n',
    );
    expect(git(workspace.root, 'log', '-1', '--format=%an <%ae>|%cn|%aI')).toBe(
      'Orchestrator <orchestrator@example.com>|Orchestrator|2026-01-02T03:04:05+00:00\n',
    );

    await workspace.applyEdits([{ kind: 'create', path: 'b.txt', content: 'b\n' }]);
    const retry = await commitAll(workspace, options);
    expect(retry).toEqual({ status: 'existing', commit: first.commit });
    const next = await commitAll(workspace, { message: 'feat: add b', author, idempotencyKey: 'r5/step-4' });
    expect(next.status).toBe('created');
    expect(git(workspace.root, 'log', '-1', '--format=%B')).not.toContain('Co-authored-by');
    expect(await commitAll(workspace, { ...options, idempotencyKey: 'r5/step-3' })).toEqual(retry);
    expect(await commitAll(workspace, { message: 'nothing', author })).toMatchObject({
      status: 'nothing-to-commit',
      commit: next.commit,
    });
  });

  it('rejects an invalid author', async () => {
    const workspace = await new GitWorkspaceProvider({ dataDir }).open({ repo, runId: 'r6', slug: 'x' });
    await expect(
      commitAll(workspace, { message: 'm', author: { name: 'Eve <evil>', email: 'x' } }),
    ).rejects.toMatchObject({
      code: 'commit-options-invalid',
    });
  });
});

describe('parseGitIdentity', () => {
  it('parses the configured co-author and rejects malformed text', async () => {
    const { parseGitIdentity } = await import('../src/commit-all.ts');
    expect(parseGitIdentity(' Ada Lovelace <ada@example.com> ')).toEqual({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
    });
    expect(() => parseGitIdentity('ada@example.com')).toThrow(/not a git identity/);
  });
});
