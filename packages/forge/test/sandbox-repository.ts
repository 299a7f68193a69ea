import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const identity = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Runs git in `cwd` and returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...identity } }).trim();
}

/** A temporary directory. */
export function temporaryDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `forge-${prefix}-`));
}

/** A user repository on `main` with one commit (README). */
export function createSandboxRepository(): string {
  const repo = join(temporaryDirectory('repo'), 'sandbox');
  mkdirSync(repo);
  git(repo, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(join(repo, 'README.md'), '# Sandbox\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'initial');
  return repo;
}

/** A worktree of `repo` on a new branch with one commit writing `files`; returns its path. */
export function createWorktreeWithCommit(repo: string, branch: string, files: Record<string, string>): string {
  const worktree = join(temporaryDirectory('worktree'), 'work');
  git(repo, 'worktree', 'add', '--quiet', '-b', branch, worktree, 'main');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(worktree, path)), { recursive: true });
    writeFileSync(join(worktree, path), content);
  }
  git(worktree, 'add', '.');
  git(worktree, 'commit', '--quiet', '-m', `change on ${branch}`);
  return worktree;
}
