import { lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '@orchestrator/spec';

/** Where git keeps a linked worktree's metadata, as verified from the trusted side. */
export interface WorktreeGitLocation {
  /** The worktree's own git directory, `<commonDir>/worktrees/<name>`. */
  gitDir: string;
  /** The repository's git directory, shared by all worktrees. */
  commonDir: string;
}

function changed(root: string, what: string): UserError {
  return new UserError({
    code: 'workspace-git-metadata-changed',
    message: `The git metadata of the worktree ${root} changed (${what}): the orchestrator refuses to run git there.`,
    hint: 'Something in the worktree (a test, a script) rewrote its .git; nothing was committed. Inspect the worktree, then remove it (orchestrator runs remove, or delete the directory) and start a new run.',
    details: { worktree: root, problem: what },
  });
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function real(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

function inside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The git directory of a linked worktree found from the repository's side: the entry of `<commonDir>/worktrees/`
 * whose `gitdir` file names `<worktree>/.git`. Never reads the worktree's own `.git`, which its tests could rewrite.
 */
export function findWorktreeGitDir(commonDir: string, worktree: string): string | undefined {
  const expected = path.join(real(worktree) ?? path.resolve(worktree), '.git');
  const directory = path.join(commonDir, 'worktrees');
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const back = readText(path.join(directory, name, 'gitdir'))?.trim();
    if (back === undefined) continue;
    const backPath = path.resolve(directory, name, back);
    const resolved = path.join(real(path.dirname(backPath)) ?? path.dirname(backPath), path.basename(backPath));
    if (resolved === expected) return path.join(directory, name);
  }
  return undefined;
}

/**
 * Checks that a linked worktree's git metadata is what git wrote: `<root>/.git` is a regular file (not a link) that
 * says `gitdir: <G>`, where G lies outside the worktree, is `<C>/worktrees/<name>` for the common directory C it names
 * (also outside the worktree), and names `<root>/.git` back. With `expectedGitDir`, G must also be that directory.
 * Throws `workspace-git-metadata-changed` otherwise; returns the verified locations.
 */
export function verifyWorktreeMetadata(root: string, expectedGitDir?: string): WorktreeGitLocation {
  const realRoot = real(root);
  if (realRoot === undefined) throw changed(root, 'the worktree is gone');
  const pointer = path.join(realRoot, '.git');
  let kind: string;
  try {
    const info = lstatSync(pointer);
    kind = info.isSymbolicLink()
      ? 'a symbolic link'
      : info.isFile()
        ? 'file'
        : info.isDirectory()
          ? 'a directory'
          : '?';
  } catch {
    throw changed(root, '.git is missing');
  }
  if (kind !== 'file') throw changed(root, `.git is ${kind}, not the pointer file git writes`);
  const match = /^gitdir: (.+)\n?$/.exec(readText(pointer) ?? '');
  if (match === null) throw changed(root, '.git does not hold a gitdir pointer');
  const gitDir = real(path.resolve(realRoot, match[1]!));
  if (gitDir === undefined) throw changed(root, `.git points to ${match[1]}, which does not exist`);
  if (inside(realRoot, gitDir)) throw changed(root, `.git points inside the worktree (${match[1]})`);
  if (expectedGitDir !== undefined && gitDir !== (real(expectedGitDir) ?? expectedGitDir)) {
    throw changed(root, `.git points to ${gitDir} instead of ${expectedGitDir}`);
  }
  const common = readText(path.join(gitDir, 'commondir'))?.trim();
  const commonDir = common === undefined ? undefined : real(path.resolve(gitDir, common));
  if (commonDir === undefined || inside(realRoot, commonDir)) throw changed(root, 'the commondir of its git directory');
  if (gitDir !== path.join(commonDir, 'worktrees', path.basename(gitDir))) {
    throw changed(root, `${gitDir} is not a worktree entry of ${commonDir}`);
  }
  if (findWorktreeGitDir(commonDir, realRoot) !== gitDir) {
    throw changed(root, `${gitDir}/gitdir does not name this worktree`);
  }
  return { gitDir, commonDir };
}
