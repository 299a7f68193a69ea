import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { WorktreeChange } from '@orchestrator/spec';
import {
  plainGit,
  removeInside,
  removeNewDirectories,
  type SnapshotGit,
  withScratchIndex,
} from './worktree-snapshot.ts';

/** What a commit of the worktree would hold, split by whose change it is. */
export interface CommitFileSelection {
  /** Changed paths the model's edits touched: they go into the commit. */
  commit: WorktreeChange[];
  /** Changed paths nothing the model asked for touched (a test's output, a stray file): never committed. */
  leftovers: WorktreeChange[];
}

const statusOf: Record<string, WorktreeChange['change']> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

/**
 * The files a `git add --all` would commit (the worktree against `baseCommit`, ignored files left out), with their
 * sizes. Uses a throw-away index: the worktree's own index is left as it was.
 */
export async function changesSinceBase(
  root: string,
  baseCommit: string,
  openGit: () => Promise<SnapshotGit> = plainGit(root),
): Promise<WorktreeChange[]> {
  const git = await openGit();
  const listed = await withScratchIndex(root, git, 'worktree-index', async (env) => {
    await git(['add', '--all', '--', '.'], { env });
    return (await git(['diff', '--cached', '--name-status', '--no-renames', '-z', baseCommit, '--'], { env })).stdout;
  });
  const fields = listed.split('\0');
  const changes: WorktreeChange[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const change = statusOf[fields[index]!.charAt(0)] ?? 'modified';
    const file = fields[index + 1]!;
    const info = await lstat(path.join(root, file)).catch(() => undefined);
    let bytes = info?.size ?? 0;
    if (change === 'deleted') {
      const size = await git(['cat-file', '-s', `${baseCommit}:${file}`], { acceptExitCodes: [128] });
      bytes = Number(size.stdout.trim()) || 0;
    }
    changes.push({ path: file, change, bytes, ignored: false });
  }
  return changes;
}

/** Splits the worktree's changes into the model's (paths its edits touched) and leftovers. */
export async function selectCommitFiles(
  root: string,
  baseCommit: string,
  modelPaths: readonly string[],
  openGit: () => Promise<SnapshotGit> = plainGit(root),
): Promise<CommitFileSelection> {
  const allowed = new Set(modelPaths);
  const changes = await changesSinceBase(root, baseCommit, openGit);
  return {
    commit: changes.filter((change) => allowed.has(change.path)),
    leftovers: changes.filter((change) => !allowed.has(change.path)),
  };
}

/**
 * Puts `paths` back as `baseCommit` has them: files it holds are checked out from it, others are removed, and the
 * directories left empty by a removal go too. Returns the paths restored.
 */
export async function restoreToBase(
  root: string,
  baseCommit: string,
  paths: readonly string[],
  openGit: () => Promise<SnapshotGit> = plainGit(root),
): Promise<string[]> {
  if (paths.length === 0) return [];
  const git = await openGit();
  const inBase = new Set(
    (await git(['ls-tree', '-r', '-z', '--name-only', baseCommit])).stdout.split('\0').filter((entry) => entry !== ''),
  );
  const fromBase: string[] = [];
  const directories = new Set<string>();
  for (const file of paths) {
    const absolute = path.join(root, file);
    if (path.relative(root, absolute).startsWith('..') || file.split('/').includes('.git')) continue;
    for (let parent = path.posix.dirname(file); parent !== '.'; parent = path.posix.dirname(parent)) {
      directories.add(parent);
    }
    await removeInside(root, file);
    if (inBase.has(file)) fromBase.push(file);
  }
  if (fromBase.length > 0) {
    await withScratchIndex(root, git, 'empty', async (env) => {
      await git(['read-tree', baseCommit], { env });
      await git(['checkout-index', '--force', '-z', '--stdin'], { env, input: `${fromBase.join('\0')}\0` });
    });
  }
  await removeNewDirectories(root, new Set(), [...directories]);
  return [...paths];
}
