import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApplyResult, FileEdit, Workspace } from '@orchestrator/spec';
import { type ApplyEditsOptions, applyEdits } from './apply-edits.ts';
import { type CommitOptions, type CommitResult, commitAll } from './commit-all.ts';
import { runGit } from './git-command.ts';
import { guardPath } from './path-guard.ts';

/** Where a workspace lives and what it started from. */
export interface GitWorkspaceLocation {
  /** Absolute real path of the worktree. */
  root: string;
  /** The run's branch. */
  branch: string;
  /** The commit the run started from. */
  baseCommit: string;
  /** The run this workspace belongs to. */
  runId: string;
  /** The user's repository (top level, or the git directory of a bare repository). */
  repo: string;
}

/** A run's git worktree (see `GitWorkspaceProvider`). */
export class GitWorkspace implements Workspace {
  readonly root: string;
  readonly branch: string;
  readonly baseCommit: string;
  readonly runId: string;
  readonly repo: string;

  constructor(location: GitWorkspaceLocation) {
    this.root = location.root;
    this.branch = location.branch;
    this.baseCommit = location.baseCommit;
    this.runId = location.runId;
    this.repo = location.repo;
  }

  applyEdits(edits: readonly FileEdit[], options?: ApplyEditsOptions): Promise<ApplyResult> {
    return applyEdits(this.root, edits, options);
  }

  /** Commits everything in the worktree (see `commitAll`); the provenance trailer names this workspace's run. */
  commit(options: CommitOptions): Promise<CommitResult> {
    return commitAll(this, options);
  }

  /** The commit the branch points to now. */
  async head(): Promise<string> {
    return (await runGit(['rev-parse', 'HEAD'], { cwd: this.root })).stdout.trim();
  }

  /**
   * Unified diff (git dialect, binary-safe, renames detected) of the worktree against `baseCommit`, untracked files
   * included. Uses a throw-away copy of the index so that the worktree's own index is left as it was.
   */
  async diff(): Promise<string> {
    const scratch = await mkdtemp(path.join(tmpdir(), 'orchestrator-index-'));
    try {
      const indexPath = path.resolve(
        this.root,
        (await runGit(['rev-parse', '--git-path', 'index'], { cwd: this.root })).stdout.trim(),
      );
      const scratchIndex = path.join(scratch, 'index');
      await copyFile(indexPath, scratchIndex).catch(() => {});
      const env = { GIT_INDEX_FILE: scratchIndex };
      await runGit(['add', '--all', '--', '.'], { cwd: this.root, env });
      const result = await runGit(
        ['diff', '--cached', '--binary', '--no-ext-diff', '--no-textconv', '-M', this.baseCommit, '--'],
        { cwd: this.root, env },
      );
      return result.stdout;
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /**
   * Reads a worktree file as UTF-8. Missing files, and paths edits would refuse (outside the worktree, in `.git`,
   * through links pointing out, devices), read as `undefined`: nothing outside the worktree is ever read.
   */
  async readFile(requested: string): Promise<string | undefined> {
    const check = await guardPath(this.root, requested);
    if (!check.ok || check.existing !== 'file') return undefined;
    return readFile(check.absolutePath, 'utf8');
  }

  async listFiles(): Promise<string[]> {
    const options = { cwd: this.root, env: { GIT_OPTIONAL_LOCKS: '0' } };
    const listed = await runGit(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], options);
    const deleted = await runGit(['ls-files', '-z', '--deleted'], options);
    const gone = new Set(deleted.stdout.split('\0').filter(Boolean));
    return [...new Set(listed.stdout.split('\0').filter((name) => name !== '' && !gone.has(name)))].sort();
  }
}
