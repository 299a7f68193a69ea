import { mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '@orchestrator/spec';
import { type GitCommandOptions, runGit } from './git-command.ts';
import { findWorktreeGitDir, verifyWorktreeMetadata } from './worktree-metadata.ts';

function invalid(code: string, message: string, hint: string): UserError {
  return new UserError({ code, message, hint });
}

/** The user's repository, located once; every later command names its git directory explicitly. */
export interface RepositoryLocation {
  /** Top level of the working tree, or the git directory of a bare repository (real path). */
  path: string;
  /** `--absolute-git-dir` of that path. */
  gitDir: string;
  /** The git directory shared by all its worktrees. */
  commonDir: string;
  bare: boolean;
}

/** Options that run git against the repository with an explicit git dir and work tree. */
export function at(repo: RepositoryLocation): Pick<GitCommandOptions, 'cwd' | 'gitDir' | 'workTree'> {
  return repo.bare
    ? { cwd: repo.path, gitDir: repo.gitDir }
    : { cwd: repo.path, gitDir: repo.gitDir, workTree: repo.path };
}

/** A worktree as `git worktree list --porcelain` describes it. */
export interface RegisteredWorktree {
  path: string;
  /** Full ref of the checked-out branch (`refs/heads/...`), absent when detached or bare. */
  branch?: string;
}

/** The worktrees registered in a repository. */
export async function listWorktrees(repo: RepositoryLocation): Promise<RegisteredWorktree[]> {
  const listing = await runGit(['worktree', 'list', '--porcelain', '-z'], at(repo));
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
 * branch (someone switched it; never deleted silently), or a leftover directory that is not a worktree. The worktree is
 * found from the repository's side (never through its own `.git`); one whose `.git` was tampered with is refused
 * (`workspace-git-metadata-changed`).
 */
export async function worktreeState(
  repo: RepositoryLocation,
  worktree: string,
  branch: string,
): Promise<'absent' | 'ready' | 'other-branch' | 'not-a-worktree'> {
  const info = await stat(worktree).catch(() => undefined);
  if (info === undefined) return 'absent';
  if (!info.isDirectory()) return 'not-a-worktree';
  const gitDir = findWorktreeGitDir(repo.commonDir, worktree);
  if (gitDir === undefined) return 'not-a-worktree';
  verifyWorktreeMetadata(worktree, gitDir);
  const head = await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], {
    cwd: worktree,
    gitDir,
    acceptExitCodes: [1, 128],
  });
  return head.exitCode === 0 && head.stdout.trim() === branch ? 'ready' : 'other-branch';
}

/** Finds the repository containing `requested` (the only command that discovers it from a directory). */
export async function resolveRepository(requested: string): Promise<RepositoryLocation> {
  const directory = path.resolve(requested);
  const info = await stat(directory).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw invalid(
      'repo-not-found',
      `${directory} does not exist or is not a directory`,
      'Pass the path of an existing git repository.',
    );
  }
  const probe = await runGit(
    ['rev-parse', '--is-bare-repository', '--absolute-git-dir', '--git-common-dir', '--show-toplevel'],
    {
      cwd: directory,
      acceptExitCodes: [128],
    },
  );
  if (probe.exitCode !== 0) {
    throw invalid(
      'repo-not-git',
      `${directory} is not inside a git repository`,
      `Run \`git init && git add -A && git commit -m "initial commit"\` there, or pass the path of a git repository.`,
    );
  }
  const [isBare, gitDirectory, commonDirectory, topLevel] = probe.stdout.split('\n').map((line) => line.trim());
  const repo = isBare === 'true' ? gitDirectory : topLevel;
  if (repo === undefined || repo === '') {
    throw invalid(
      'repo-not-git',
      `${directory} is inside a .git directory, not a working tree`,
      'Pass the repository root.',
    );
  }
  return {
    path: await realpath(repo),
    gitDir: await realpath(gitDirectory!),
    commonDir: await realpath(path.resolve(directory, commonDirectory!)),
    bare: isBare === 'true',
  };
}

/**
 * A data directory inside the user's working tree would show up in their `git status` as untracked; list it in the
 * repository's `info/exclude` (never in a tracked `.gitignore`) so that it does not.
 */
export async function excludeDataDirectory(repo: RepositoryLocation, dataDir: string): Promise<void> {
  const relative = path.relative(repo.path, dataDir);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return;
  const excludeFile = path.join(repo.commonDir, 'info', 'exclude');
  const pattern = `/${relative.split(path.sep).join('/')}/`;
  const existing = await readFile(excludeFile, 'utf8').catch(() => '');
  if (existing.split('\n').includes(pattern)) return;
  await mkdir(path.dirname(excludeFile), { recursive: true });
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await writeFile(excludeFile, `${existing}${separator}${pattern}\n`);
}

export async function refExists(repo: RepositoryLocation, ref: string): Promise<boolean> {
  const result = await runGit(['show-ref', '--verify', '--quiet', ref], { ...at(repo), acceptExitCodes: [1, 128] });
  return result.exitCode === 0;
}

export async function resolveCommit(repo: RepositoryLocation, ref: string): Promise<string> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    ...at(repo),
    acceptExitCodes: [1, 128],
  });
  if (result.exitCode === 0) return result.stdout.trim();
  const anyCommit = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], {
    ...at(repo),
    acceptExitCodes: [1, 128],
  });
  if (anyCommit.exitCode !== 0) {
    throw invalid('repo-no-commits', 'the repository has no commit yet', 'Make an initial commit, then run again.');
  }
  throw invalid(
    'base-ref-not-found',
    `"${ref}" does not name a commit in ${repo.path}`,
    'Pass an existing branch, tag or commit as the base.',
  );
}

export async function mergeBase(repo: RepositoryLocation, branch: string, baseRef: string): Promise<string> {
  const base = await resolveCommit(repo, baseRef);
  const result = await runGit(['merge-base', branch, base], { ...at(repo), acceptExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : base;
}
