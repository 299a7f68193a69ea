import { mkdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkspaceProvider } from '@orchestrator/spec';
import { UserError } from '@orchestrator/spec';
import { z } from 'zod';
import { runGit } from './git-command.ts';
import { GitWorkspace } from './git-workspace.ts';

const providerOptionsSchema = z.object({
  dataDir: z.string().min(1),
  branchPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._/-]*$/, 'letters, digits, ".", "_", "-" and "/" only')
    .exactOptional(),
});

/** Configuration of the provider, chosen by the composition root. */
export interface GitWorkspaceProviderOptions {
  /** The orchestrator's data directory; worktrees go to `<dataDir>/worktrees/<runId>`. */
  dataDir: string;
  /** Prefix of run branches, used as is: the branch is `<prefix><runId>-<slug>` (default `orchestrator/`). */
  branchPrefix?: string;
}

const openOptionsSchema = z.object({
  repo: z.string().min(1),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" and "-", at most 128'),
  slug: z.string(),
  baseRef: z.string().min(1).exactOptional(),
});

const metadataSchema = z.object({
  version: z.literal(1),
  runId: z.string(),
  repo: z.string(),
  branch: z.string(),
  baseCommit: z.string().regex(/^[0-9a-f]{40,64}$/),
});
type WorkspaceMetadata = z.infer<typeof metadataSchema>;

/** Lowercase kebab-case slug for a branch name, at most 48 characters. */
export function branchSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug === '' ? 'task' : slug;
}

function invalid(code: string, message: string, hint: string): UserError {
  return new UserError({ code, message, hint });
}

/**
 * Opens one git worktree per run under `<dataDir>/worktrees/<runId>`, on its own branch `orchestrator/<runId>-<slug>`,
 * created from the user's repository without touching its working tree, index, HEAD or existing branches. Opening the
 * same run id again reopens (or, if it was deleted, recreates) the same worktree on the same branch.
 */
export class GitWorkspaceProvider implements WorkspaceProvider {
  readonly #dataDir: string;
  readonly #branchPrefix: string;
  readonly #pending = new Map<string, Promise<GitWorkspace>>();

  constructor(options: GitWorkspaceProviderOptions) {
    const parsed = providerOptionsSchema.safeParse(options);
    if (!parsed.success) {
      throw invalid(
        'workspace-options-invalid',
        `invalid workspace options: ${z.prettifyError(parsed.error)}`,
        'Pass { dataDir, branchPrefix? }.',
      );
    }
    this.#dataDir = path.resolve(parsed.data.dataDir);
    this.#branchPrefix = parsed.data.branchPrefix ?? 'orchestrator/';
  }

  /** Directory holding the worktree of a run. */
  worktreePath(runId: string): string {
    return path.join(this.#dataDir, 'worktrees', runId);
  }

  open(options: { repo: string; runId: string; slug: string; baseRef?: string }): Promise<GitWorkspace> {
    const parsed = openOptionsSchema.safeParse(options);
    if (!parsed.success) {
      return Promise.reject(
        invalid(
          'workspace-options-invalid',
          `invalid workspace request: ${z.prettifyError(parsed.error)}`,
          'Check the run id and repository path.',
        ),
      );
    }
    const key = parsed.data.runId;
    const previous = this.#pending.get(key) ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.#open(parsed.data));
    this.#pending.set(key, next);
    return next;
  }

  /** Removes a run's worktree (the branch and its commits stay in the repository). */
  async remove(runId: string): Promise<void> {
    const metadata = await this.#readMetadata(runId);
    const worktree = this.worktreePath(runId);
    if (metadata !== undefined) {
      await runGit(['worktree', 'remove', '--force', worktree], { cwd: metadata.repo, acceptExitCodes: [128] });
      await runGit(['worktree', 'prune'], { cwd: metadata.repo });
    }
    await rm(worktree, { recursive: true, force: true });
  }

  async #open(request: z.infer<typeof openOptionsSchema>): Promise<GitWorkspace> {
    const repo = await resolveRepository(request.repo);
    const worktree = this.worktreePath(request.runId);
    let metadata = await this.#readMetadata(request.runId);
    if (metadata !== undefined && metadata.repo !== repo) {
      throw invalid(
        'workspace-run-conflict',
        `run ${request.runId} already has a workspace for another repository (${metadata.repo})`,
        'Use a new run id for a different repository.',
      );
    }
    if (metadata === undefined) {
      const branch = `${this.#branchPrefix}${request.runId}-${branchSlug(request.slug)}`;
      const valid = await runGit(['check-ref-format', '--branch', branch], { cwd: repo, acceptExitCodes: [1, 128] });
      if (valid.exitCode !== 0) {
        throw invalid('branch-name-invalid', `"${branch}" is not a valid branch name`, 'Choose another branch prefix.');
      }
      const branchExists = await refExists(repo, `refs/heads/${branch}`);
      const baseCommit = branchExists
        ? await mergeBase(repo, branch, request.baseRef ?? 'HEAD')
        : await resolveCommit(repo, request.baseRef ?? 'HEAD');
      metadata = { version: 1, runId: request.runId, repo, branch, baseCommit };
      await this.#writeMetadata(metadata);
    }
    if (!(await isWorktreeOn(worktree, metadata.branch))) {
      await excludeDataDirectory(repo, this.#dataDir);
      await runGit(['worktree', 'prune'], { cwd: repo });
      await rm(worktree, { recursive: true, force: true });
      await mkdir(path.dirname(worktree), { recursive: true });
      const args = (await refExists(repo, `refs/heads/${metadata.branch}`))
        ? ['worktree', 'add', '--quiet', worktree, metadata.branch]
        : ['worktree', 'add', '--quiet', '-b', metadata.branch, worktree, metadata.baseCommit];
      await runGit(args, { cwd: repo });
    }
    return new GitWorkspace({
      root: await realpath(worktree),
      branch: metadata.branch,
      baseCommit: metadata.baseCommit,
      runId: request.runId,
      repo,
    });
  }

  async #readMetadata(runId: string): Promise<WorkspaceMetadata | undefined> {
    const file = `${this.worktreePath(runId)}.json`;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = metadataSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw invalid(
        'workspace-metadata-invalid',
        `the workspace record ${file} is corrupt`,
        `Delete ${file} and the worktree next to it, then retry.`,
      );
    }
    return parsed.data;
  }

  async #writeMetadata(metadata: WorkspaceMetadata): Promise<void> {
    const file = `${this.worktreePath(metadata.runId)}.json`;
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(metadata, null, 2)}\n`);
    await rename(temporary, file);
  }
}

async function resolveRepository(requested: string): Promise<string> {
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
async function excludeDataDirectory(repo: string, dataDir: string): Promise<void> {
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

async function refExists(repo: string, ref: string): Promise<boolean> {
  const result = await runGit(['show-ref', '--verify', '--quiet', ref], { cwd: repo, acceptExitCodes: [1, 128] });
  return result.exitCode === 0;
}

async function resolveCommit(repo: string, ref: string): Promise<string> {
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

async function mergeBase(repo: string, branch: string, baseRef: string): Promise<string> {
  const base = await resolveCommit(repo, baseRef);
  const result = await runGit(['merge-base', branch, base], { cwd: repo, acceptExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : base;
}

async function isWorktreeOn(worktree: string, branch: string): Promise<boolean> {
  const info = await stat(worktree).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) return false;
  const result = await runGit(['rev-parse', '--show-toplevel', '--abbrev-ref', 'HEAD'], {
    cwd: worktree,
    acceptExitCodes: [128],
  });
  if (result.exitCode !== 0) return false;
  const [topLevel, head] = result.stdout.split('\n').map((line) => line.trim());
  return topLevel !== undefined && (await realpath(topLevel)) === (await realpath(worktree)) && head === branch;
}
