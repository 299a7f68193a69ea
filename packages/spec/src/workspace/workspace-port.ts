import type { ApplyResult, FileEdit } from './file-edit.ts';
import type { SizeLimits } from './size-limits.ts';
import type { WorktreeSnapshots } from './worktree-snapshot.ts';

/** Options of `Workspace.applyEdits`. */
export interface ApplyEditsPortOptions {
  /** Size bounds per edit, per written file and per batch; unset ones take their defaults. */
  limits?: Partial<Pick<SizeLimits, 'maxEditBytes' | 'maxFileBytes' | 'maxDiffBytes'>>;
}

/**
 * An isolated working copy where a run makes its changes (a git worktree on the run's own branch).
 * The user's own working tree is never touched.
 */
export interface Workspace {
  /** Absolute path of the worktree root. */
  readonly root: string;
  /** The branch the workspace is on, e.g. `orchestrator/r-abc123-add-readme-section`. */
  readonly branch: string;
  /** The commit the run started from. */
  readonly baseCommit: string;
  /**
   * Applies a batch of edits atomically; refuses paths outside the worktree, `.git/`, symlinks pointing out, devices,
   * and (`too-large`) edits, files and batches over the size bounds (defaults: `defaultSizeLimits`).
   */
  applyEdits(edits: readonly FileEdit[], options?: ApplyEditsPortOptions): Promise<ApplyResult>;
  /** Unified diff of the worktree (including untracked files) against `baseCommit`. */
  diff(): Promise<string>;
  /** Reads a file of the worktree, or undefined if it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  /** Lists the files tracked or untracked-but-not-ignored in the worktree. */
  listFiles(): Promise<string[]>;
  /**
   * Snapshots of the worktree, to tell what a test run left behind from the model's edits (optional: without them the
   * kernel cannot drop leftovers, and only the commit's path selection keeps them out).
   */
  readonly snapshots?: WorktreeSnapshots;
}

/** Creates and finds workspaces; implemented by packages/git. */
export interface WorkspaceProvider {
  /** Creates (or, for the same run id, reopens) the run's worktree on its own branch. Idempotent. */
  open(options: { repo: string; runId: string; slug: string; baseRef?: string }): Promise<Workspace>;
}
