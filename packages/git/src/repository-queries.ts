import { mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@orchestrator/spec';
import { runGit } from './git-command.ts';

function invalid(code: string, message: string, hint: string): UserError {
  return new UserError({ code, message, hint });
}

/** A worktree as `git worktree list --porcelain` describes it. */
export interface RegisteredWorktree {
  path: string;
  /** Full ref of the checked-out branch (`refs/heads/...`), absent when detached or bare. */
  branch?: string;
}

/** The worktrees registered in a repository. */
export async function listWorktrees(repo: string): Promise<RegisteredWorktree[]> {
  const listing = await runGit(['worktree', 'list', '--porcelain', '-z'], { cwd: repo });
  const worktrees: RegisteredWorktree[] = [];
  for (const field of listing.stdout.split('\0')) {
    if (field.startsWith('worktree ')) worktrees.push({ path: field.slice('worktree '.length) });
    else if (field.startsWith('branch ') && worktrees.length > 0)
      worktrees[worktrees.length - 1]!.branch = field.slice(7);
  }
  return worktrees;
}

/** A path with its existing ancestors' symbolic links resolved, to compare paths that may not exist. */
export async function comparablePath(target: string): Promise<string> {
  const resolved = path.resolve(target);
  const real = await realpath(resolved).catch(() => undefined);
  if (real !== undefined) return real;
  const parent = path.dirname(resolved);
  return parent === resolved ? resolved : path.join(await comparablePath(parent), path.basename(resolved));
}

/**
 * What is at a run's worktree path: nothing, our worktree on the run's branch, a worktree of the repository on another
 * branch (someone switched it; never deleted silently), or a leftover directory that is not a worktree.
 */
export async function worktreeState(
  worktree: string,
  branch: string,
): Promise<'absent' | 'ready' | 'other-branch' | 'not-a-worktree'> {
  const info = await stat(worktree).catch(() => undefined);
  if (info === undefined) return 'absent';
  if (!info.isDirectory()) return 'not-a-worktree';
  const result = await runGit(['rev-parse', '--show-toplevel', '--abbrev-ref', 'HEAD'], {
    cwd: worktree,
    acceptExitCodes: [128],
  });
  if (result.exitCode !== 0) return 'not-a-worktree';
  const [topLevel, head] = result.stdout.split('\n').map((line) => line.trim());
  if (topLevel === undefined || (await realpath(topLevel)) !== (await realpath(worktree))) return 'not-a-worktree';
  return head === branch ? 'ready' : 'other-branch';
}

export async function resolveRepository(requested: string): Promise<string> {
  const directory = path.resolve(requested);
  const info = await stat(directory).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw invalid(
      'repo-not-found',
      `${directory} does not exist or is not a directory`,
      'Pass the path of an existing git repository.',
    );
  }
  const probe = await runGit(['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--show-toplevel'], {
    cwd: directory,
    acceptExitCodes: [128],
  });
  if (probe.exitCode !== 0) {
    throw invalid(
      'repo-not-git',
      `${directory} is not inside a git repository`,
      `Run \`git init && git add -A && git commit -m "initial commit"\` there, or pass the path of a git repository.`,
    );
  }
  const [isBare, gitDirectory, topLevel] = probe.stdout.split('\n').map((line) => line.trim());
  const repo = isBare === 'true' ? gitDirectory : topLevel;
  if (repo === undefined || repo === '') {
    throw invalid(
      'repo-not-git',
      `${directory} is inside a .git directory, not a working tree`,
      'Pass the repository root.',
    );
  }
  return realpath(repo);
}

/**
 * A data directory inside the user's working tree would show up in their `git status` as untracked; list it in the
 * repository's `info/exclude` (never in a tracked `.gitignore`) so that it does not.
 */
export async function excludeDataDirectory(repo: string, dataDir: string): Promise<void> {
  const relative = path.relative(repo, dataDir);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return;
  const commonDirectory = (await runGit(['rev-parse', '--git-common-dir'], { cwd: repo })).stdout.trim();
  const excludeFile = path.resolve(repo, commonDirectory, 'info', 'exclude');
  const pattern = `/${relative.split(path.sep).join('/')}/`;
  const existing = await readFile(excludeFile, 'utf8').catch(() => '');
  if (existing.split('\n').includes(pattern)) return;
  await mkdir(path.dirname(excludeFile), { recursive: true });
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await writeFile(excludeFile, `${existing}${separator}${pattern}\n`);
}

export async function refExists(repo: string, ref: string): Promise<boolean> {
  const result = await runGit(['show-ref', '--verify', '--quiet', ref], { cwd: repo, acceptExitCodes: [1, 128] });
  return result.exitCode === 0;
}

export async function resolveCommit(repo: string, ref: string): Promise<string> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd: repo,
    acceptExitCodes: [1, 128],
  });
  if (result.exitCode === 0) return result.stdout.trim();
  const anyCommit = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], {
    cwd: repo,
    acceptExitCodes: [1, 128],
  });
  if (anyCommit.exitCode !== 0) {
    throw invalid('repo-no-commits', 'the repository has no commit yet', 'Make an initial commit, then run again.');
  }
  throw invalid(
    'base-ref-not-found',
    `"${ref}" does not name a commit in ${repo}`,
    'Pass an existing branch, tag or commit as the base.',
  );
}

export async function mergeBase(repo: string, branch: string, baseRef: string): Promise<string> {
  const base = await resolveCommit(repo, baseRef);
  const result = await runGit(['merge-base', branch, base], { cwd: repo, acceptExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : base;
}
