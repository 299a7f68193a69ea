import { copyFile, lstat, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorktreeChange, WorktreeRestore, WorktreeSnapshot, WorktreeSnapshots } from '@orchestrator/spec';
import { SystemError } from '@orchestrator/spec';
import { type GitCommandOptions, type GitCommandResult, runGit } from './git-command.ts';

/** Runs git on the worktree (the workspace's verified runner: explicit git dir and work tree). */
export type SnapshotGit = (
  args: readonly string[],
  options?: Pick<GitCommandOptions, 'env' | 'input' | 'acceptExitCodes'>,
) => Promise<GitCommandResult>;

/** A runner for a worktree from its root alone (tests, and workspaces without a verified runner). */
export function plainGit(root: string): () => Promise<SnapshotGit> {
  return async () =>
    (args, options = {}) =>
      runGit(args, { ...options, cwd: root });
}

/** A file as the walk saw it: its size and what changes whenever it is written, replaced or re-permissioned. */
interface FileMark {
  bytes: number;
  mark: string;
}

/** What a git worktree snapshot holds. */
interface GitSnapshotState {
  /** The git tree of the worktree's non-ignored files (their content is in the object store). */
  tree: string;
  files: Record<string, FileMark>;
  directories: string[];
}

async function walk(root: string): Promise<{ files: Map<string, FileMark>; directories: Set<string> }> {
  const files = new Map<string, FileMark>();
  const directories = new Set<string>();
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (child === '.git') continue;
      if (entry.isDirectory()) {
        directories.add(child);
        pending.push(child);
        continue;
      }
      const info = await lstat(path.join(root, child)).catch(() => undefined);
      if (info === undefined) continue;
      // ctime moves on every write, rename or chmod and cannot be set back by the writer (utimes sets it to now).
      files.set(child, {
        bytes: info.size,
        mark: `${info.size}:${info.mode}:${info.ino}:${info.ctimeMs}:${info.mtimeMs}`,
      });
    }
  }
  return { files, directories };
}

/** Runs `body` with `GIT_INDEX_FILE` set to a throw-away index: a copy of the worktree's, or empty. */
export async function withScratchIndex<T>(
  root: string,
  git: SnapshotGit,
  seed: 'worktree-index' | 'empty',
  body: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'orchestrator-snapshot-'));
  try {
    const scratchIndex = path.join(scratch, 'index');
    if (seed === 'worktree-index') {
      const indexPath = path.resolve(root, (await git(['rev-parse', '--git-path', 'index'])).stdout.trim());
      await copyFile(indexPath, scratchIndex).catch(() => {});
    }
    return await body({ GIT_INDEX_FILE: scratchIndex });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function stateOf(snapshot: WorktreeSnapshot): GitSnapshotState {
  const state = snapshot.state as Partial<GitSnapshotState> | undefined;
  if (typeof state?.tree !== 'string' || state.files === undefined || !Array.isArray(state.directories)) {
    throw new SystemError({
      code: 'worktree-snapshot-invalid',
      message: 'This worktree snapshot was not made by a git workspace.',
      hint: 'Take the snapshot with the same workspace that restores it.',
    });
  }
  return state as GitSnapshotState;
}

async function beyondLink(root: string, file: string): Promise<boolean> {
  const parts = file.split('/');
  for (let depth = 1; depth < parts.length; depth += 1) {
    const info = await lstat(path.join(root, ...parts.slice(0, depth))).catch(() => undefined);
    if (info === undefined) return false;
    if (!info.isDirectory()) return true;
  }
  return false;
}

/** The paths the repository ignores; a path behind a link a command planted counts as not ignored (it is a leftover). */
async function ignoredPaths(root: string, git: SnapshotGit, paths: readonly string[]): Promise<Set<string>> {
  const askable: string[] = [];
  for (const file of paths) if (!(await beyondLink(root, file))) askable.push(file);
  if (askable.length === 0) return new Set();
  const result = await git(['check-ignore', '-z', '--stdin'], {
    input: `${askable.join('\0')}\0`,
    acceptExitCodes: [1],
  }).catch(() => ({ stdout: '' }));
  return new Set(result.stdout.split('\0').filter((entry) => entry !== ''));
}

/**
 * Snapshots of a git worktree: the walk of every file but `.git` (size, mode, inode, change times) tells what a command
 * changed, and a git tree of the non-ignored files (written with a throw-away index) holds the content to put back.
 * Ignored files are listed, but their earlier content is not kept: a changed or deleted ignored file cannot be restored
 * (it can never be committed either).
 */
export function gitWorktreeSnapshots(
  root: string,
  openGit: () => Promise<SnapshotGit> = plainGit(root),
): WorktreeSnapshots {
  return {
    async snapshot(): Promise<WorktreeSnapshot> {
      const git = await openGit();
      const tree = await withScratchIndex(root, git, 'worktree-index', async (env) => {
        await git(['add', '--all', '--', '.'], { env });
        return (await git(['write-tree'], { env })).stdout.trim();
      });
      const { files, directories } = await walk(root);
      const state: GitSnapshotState = { tree, files: Object.fromEntries(files), directories: [...directories] };
      return { specificationVersion: 'v1', state };
    },

    async changesSince(snapshot: WorktreeSnapshot): Promise<WorktreeChange[]> {
      const before = stateOf(snapshot);
      const now = await walk(root);
      const changes: Array<Omit<WorktreeChange, 'ignored'>> = [];
      for (const [file, mark] of now.files) {
        const earlier = before.files[file];
        if (earlier === undefined) changes.push({ path: file, change: 'added', bytes: mark.bytes });
        else if (earlier.mark !== mark.mark) changes.push({ path: file, change: 'modified', bytes: mark.bytes });
      }
      for (const [file, mark] of Object.entries(before.files)) {
        if (!now.files.has(file)) changes.push({ path: file, change: 'deleted', bytes: mark.bytes });
      }
      const ignored = await ignoredPaths(
        root,
        await openGit(),
        changes.map((change) => change.path),
      );
      return changes
        .map((change) => ({ ...change, ignored: ignored.has(change.path) }))
        .sort((first, second) => (first.path < second.path ? -1 : first.path > second.path ? 1 : 0));
    },

    async restoreSnapshot(snapshot: WorktreeSnapshot, paths: readonly string[]): Promise<WorktreeRestore> {
      const before = stateOf(snapshot);
      const git = await openGit();
      const inTree = new Set<string>();
      if (paths.length > 0) {
        const listed = await git(['ls-tree', '-r', '-z', '--name-only', before.tree]);
        for (const entry of listed.stdout.split('\0')) if (entry !== '') inTree.add(entry);
      }
      const restored: string[] = [];
      const notRestored: string[] = [];
      const fromTree: string[] = [];
      for (const file of paths) {
        const absolute = path.join(root, file);
        if (path.relative(root, absolute).startsWith('..') || file.split('/').includes('.git')) {
          notRestored.push(file);
          continue;
        }
        if (inTree.has(file)) {
          await removeInside(root, file);
          fromTree.push(file);
        } else if (before.files[file] === undefined) {
          await removeInside(root, file);
          restored.push(file);
        } else {
          notRestored.push(file);
        }
      }
      if (fromTree.length > 0) {
        await withScratchIndex(root, git, 'empty', async (env) => {
          await git(['read-tree', before.tree], { env });
          await git(['checkout-index', '--force', '-z', '--stdin'], {
            env,
            input: `${fromTree.join('\0')}\0`,
          });
        });
        restored.push(...fromTree);
      }
      await removeNewDirectories(root, new Set(before.directories));
      return { restored: restored.sort(), notRestored: notRestored.sort() };
    },
  };
}

/**
 * Removes a worktree path without ever going through a symbolic link: a command may have replaced a parent directory
 * with a link pointing out of the worktree, so the first parent that is not a real directory is removed instead (the
 * link itself, never what it points to).
 */
export async function removeInside(root: string, file: string): Promise<void> {
  const parts = file.split('/');
  for (let depth = 1; depth < parts.length; depth += 1) {
    const ancestor = path.join(root, ...parts.slice(0, depth));
    const info = await lstat(ancestor).catch(() => undefined);
    if (info === undefined) return;
    if (!info.isDirectory()) {
      await rm(ancestor, { force: true });
      return;
    }
  }
  await rm(path.join(root, file), { recursive: true, force: true });
}

/**
 * Removes the empty directories a command created (deepest first): those not in `earlier`, or only `candidates` when
 * given. Directories that hold anything stay.
 */
export async function removeNewDirectories(
  root: string,
  earlier: ReadonlySet<string>,
  candidates?: readonly string[],
): Promise<void> {
  const created = (candidates ?? [...(await walk(root)).directories]).filter((directory) => !earlier.has(directory));
  created.sort((first, second) => second.split('/').length - first.split('/').length);
  for (const directory of created) await rmdir(path.join(root, directory)).catch(() => {});
}
