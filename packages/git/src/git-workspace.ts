import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ApplyResult, FileEdit, Workspace, WorktreeSnapshots } from '@orchestrator/spec';
import { type ApplyEditsOptions, applyEdits } from './apply-edits.ts';
import { type CommitOptions, type CommitResult, commitAll } from './commit-all.ts';
import { guardPath } from './path-guard.ts';
import { openWorktreeGit, type WorktreeGit } from './worktree-git.ts';
import { gitWorktreeSnapshots } from './worktree-snapshot.ts';

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
  /** The worktree's git directory (`<repository git dir>/worktrees/<name>`), found from the repository's side. */
  gitDir: string;
}

/** A run's git worktree (see `GitWorkspaceProvider`). */
export class GitWorkspace implements Workspace {
  readonly root: string;
  readonly branch: string;
  readonly baseCommit: string;
  readonly runId: string;
  readonly repo: string;
  /** The worktree's git directory, found from the repository's side; every git command names it explicitly. */
  readonly gitDir: string;
  /** Snapshots that tell what a test run left behind (see `gitWorktreeSnapshots`). */
  readonly snapshots: WorktreeSnapshots;

  constructor(location: GitWorkspaceLocation) {
    this.root = location.root;
    this.branch = location.branch;
    this.baseCommit = location.baseCommit;
    this.runId = location.runId;
    this.repo = location.repo;
    this.gitDir = location.gitDir;
    this.snapshots = gitWorktreeSnapshots(location.root, () => this.git());
  }

  applyEdits(edits: readonly FileEdit[], options?: ApplyEditsOptions): Promise<ApplyResult> {
    return applyEdits(this.root, edits, options);
  }

  /** Commits everything in the worktree (see `commitAll`); the provenance trailer names this workspace's run. */
  commit(options: CommitOptions): Promise<CommitResult> {
    return commitAll(this, options);
  }

  /** Git bound to this worktree; refuses with `workspace-git-metadata-changed` if its `.git` was tampered with. */
  git(): Promise<WorktreeGit> {
    return openWorktreeGit(this.root, this.gitDir);
  }

  /** The commit the branch points to now. */
  async head(): Promise<string> {
    const git = await this.git();
    return (await git(['rev-parse', 'HEAD'])).stdout.trim();
  }

  /**
   * Unified diff (git dialect, binary-safe, renames detected) of the worktree against `baseCommit`, untracked files
   * included. Uses a throw-away copy of the index so that the worktree's own index is left as it was.
   */
  async diff(): Promise<string> {
    const git = await this.git();
    const scratch = await mkdtemp(path.join(tmpdir(), 'orchestrator-index-'));
    try {
      const scratchIndex = path.join(scratch, 'index');
      await copyFile(path.join(this.gitDir, 'index'), scratchIndex).catch(() => {});
      const env = { GIT_INDEX_FILE: scratchIndex };
      await git(['add', '--all', '--', '.'], { env });
      const result = await git(['diff', '--cached', '--binary', '-M', this.baseCommit, '--'], { env });
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
    const git = await this.git();
    const listed = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    const deleted = await git(['ls-files', '-z', '--deleted']);
    const gone = new Set(deleted.stdout.split('\0').filter(Boolean));
    return [...new Set(listed.stdout.split('\0').filter((name) => name !== '' && !gone.has(name)))].sort();
  }
}
