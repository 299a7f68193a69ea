/**
 * What a workspace records before a command runs in it (the tests), so that what the command left behind can be
 * listed and put back. Opaque to the kernel: only the workspace that made it reads it.
 */
export interface WorktreeSnapshot {
  /** Version of this record. */
  readonly specificationVersion: 'v1';
  /** Adapter-specific content (e.g. a git tree id and the files' sizes and change times). */
  readonly state: unknown;
}

/** A file that differs from a snapshot. */
export interface WorktreeChange {
  /** Path relative to the worktree root, with forward slashes. */
  path: string;
  /** `added`: not there before; `modified`: content or mode changed; `deleted`: gone. */
  change: 'added' | 'modified' | 'deleted';
  /** Size in bytes now (for `deleted`: before). */
  bytes: number;
  /** True when the repository ignores the path (`.gitignore`): it can never be committed. */
  ignored: boolean;
}

/** What `restoreSnapshot` did. */
export interface WorktreeRestore {
  /** Paths put back as they were (added files removed, changed or deleted files restored). */
  restored: string[];
  /** Paths that could not be put back (e.g. an ignored file changed: its earlier content was not recorded). */
  notRestored: string[];
}

/** The optional part of the workspace port that tells a command's leftovers apart from the model's edits. */
export interface WorktreeSnapshots {
  /** Records the state of every file of the worktree (ignored ones included, the git metadata excluded). */
  snapshot(): Promise<WorktreeSnapshot>;
  /** The files that differ from the snapshot now. */
  changesSince(snapshot: WorktreeSnapshot): Promise<WorktreeChange[]>;
  /** Puts `paths` back as the snapshot recorded them (removing those it did not hold). */
  restoreSnapshot(snapshot: WorktreeSnapshot, paths: readonly string[]): Promise<WorktreeRestore>;
}
