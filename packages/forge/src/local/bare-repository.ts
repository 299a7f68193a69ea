import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UserError } from '@orchestrator/spec';
import { runGit, workingCopyLocation } from '../git-command.ts';

/** Identity used for merge commits made by the local forge. */
export interface CommitIdentity {
  name: string;
  email: string;
}

/** Where the local forge keeps the bare repository standing in for the remote of `sourceRepository`. */
export function bareRepositoryPath(dataDir: string, sourceRepository: string): string {
  if (!existsSync(sourceRepository)) {
    throw new UserError({
      code: 'forge-repository-missing',
      message: `The repository ${sourceRepository} does not exist.`,
      hint: 'Pass the path of a git repository with --repo (defaults to the current directory).',
      details: { repository: sourceRepository },
    });
  }
  const absolute = realpathSync(sourceRepository);
  const digest = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  const name = basename(absolute).replace(/[^A-Za-z0-9._-]/g, '-') || 'repository';
  return join(dataDir, 'forge', `${name}-${digest}.git`);
}

/** The bare repository acting as the remote: refs are read and written with plain git, never through a worktree. */
export class BareRepository {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The repository name shown to users (`name-hash`). */
  get name(): string {
    return basename(this.path, '.git');
  }

  async ensureExists(): Promise<void> {
    if (existsSync(join(this.path, 'HEAD'))) return;
    mkdirSync(this.path, { recursive: true });
    await runGit(['init', '--quiet', '--bare', this.path], { cwd: this.path });
  }

  private git(args: readonly string[], acceptExitCodes?: readonly number[]) {
    return runGit(args, {
      cwd: this.path,
      gitDir: this.path,
      ...(acceptExitCodes === undefined ? {} : { acceptExitCodes }),
    });
  }

  /** The commit a branch points to, or undefined. */
  async branchSha(branch: string): Promise<string | undefined> {
    const result = await this.git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], [1]);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  }

  /** Pushes `sourceRef` of `workingCopy` to `branch` here. Pushing needs no credentials: the remote is a path. */
  async pushFrom(workingCopy: string, sourceRef: string, branch: string, force: boolean): Promise<void> {
    await runGit(['push', '--quiet', ...(force ? ['--force'] : []), this.path, `${sourceRef}:refs/heads/${branch}`], {
      ...workingCopyLocation(workingCopy),
      protocols: ['file'],
    });
  }

  /** Makes `branch` the bare repository's default branch (what a clone checks out). */
  async setDefaultBranch(branch: string): Promise<void> {
    await this.git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  /** Unified diff of `head` against its merge base with `base`, as a pull request shows it. */
  async diff(base: string, head: string): Promise<string> {
    const result = await this.git(['diff', '--no-color', '--no-ext-diff', `refs/heads/${base}...refs/heads/${head}`]);
    return result.stdout;
  }

  /**
   * Merges `head` into `base` without any working tree (`git merge-tree --write-tree`), then advances `base` with a
   * compare-and-swap on its old value. Returns undefined when the branches conflict.
   */
  async merge(options: {
    base: string;
    head: string;
    message: string;
    squash: boolean;
    identity: CommitIdentity;
  }): Promise<string | undefined> {
    const baseSha = await this.branchSha(options.base);
    const headSha = await this.branchSha(options.head);
    if (baseSha === undefined || headSha === undefined) return undefined;
    const mergeTree = await this.git(['merge-tree', '--write-tree', baseSha, headSha], [1]);
    if (mergeTree.exitCode === 1) return undefined;
    const tree = mergeTree.stdout.split('\n')[0]?.trim() ?? '';
    const parents = options.squash ? ['-p', baseSha] : ['-p', baseSha, '-p', headSha];
    const commit = await runGit(['commit-tree', tree, ...parents, '-m', options.message], {
      cwd: this.path,
      gitDir: this.path,
      env: {
        GIT_AUTHOR_NAME: options.identity.name,
        GIT_AUTHOR_EMAIL: options.identity.email,
        GIT_COMMITTER_NAME: options.identity.name,
        GIT_COMMITTER_EMAIL: options.identity.email,
      },
    });
    const mergeSha = commit.stdout.trim();
    await this.git(['update-ref', `refs/heads/${options.base}`, mergeSha, baseSha]);
    return mergeSha;
  }
}
