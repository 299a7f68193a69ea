import { lstat, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** Where a requested path leads, once it is known to stay inside the worktree. */
export interface GuardedPath {
  /** Normalized path relative to the worktree root, with forward slashes. */
  relativePath: string;
  /** The same place with every symbolic link resolved, relative to the root: edits write there. */
  canonicalPath: string;
  /** Absolute form of `canonicalPath`. */
  absolutePath: string;
  /** What is there now. */
  existing: 'none' | 'file' | 'directory';
  /** The requested path itself is a symbolic link (to a file or directory inside the worktree). */
  isSymlink: boolean;
}

export type PathCheck =
  | ({ ok: true } & GuardedPath)
  | { ok: false; reason: 'outside-worktree' | 'forbidden-path'; message: string };

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + path.sep);
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * Checks a path an edit wants to touch. Refuses `..`, absolute paths, `.git/` (at any depth), backslashes, symbolic
 * links that point outside the worktree (the final component or any parent directory), dangling links, devices,
 * FIFOs and sockets. `root` must already be a real path (no symbolic links in it).
 */
export async function guardPath(root: string, requested: string): Promise<PathCheck> {
  if (typeof requested !== 'string' || requested.trim() === '') {
    return { ok: false, reason: 'forbidden-path', message: 'the path is empty' };
  }
  if (requested.includes('\0')) return { ok: false, reason: 'forbidden-path', message: 'the path contains a NUL byte' };
  if (requested.startsWith('/') || /^[A-Za-z]:/.test(requested) || requested.startsWith('~')) {
    return {
      ok: false,
      reason: 'outside-worktree',
      message: `"${requested}" is absolute; use a path relative to the repository root`,
    };
  }
  if (requested.includes('\\')) {
    return { ok: false, reason: 'forbidden-path', message: `"${requested}" contains a backslash; use forward slashes` };
  }
  const segments = requested.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    return {
      ok: false,
      reason: 'outside-worktree',
      message: `"${requested}" contains "..", which may leave the worktree`,
    };
  }
  if (segments.length === 0)
    return { ok: false, reason: 'forbidden-path', message: 'the path names the worktree root' };
  if (segments.some((segment) => segment.toLowerCase() === '.git')) {
    return { ok: false, reason: 'forbidden-path', message: `"${requested}" is inside .git, which edits may not touch` };
  }
  const relativePath = segments.join('/');
  const found = (absolutePath: string, existing: GuardedPath['existing'], isSymlink: boolean): PathCheck => ({
    ok: true,
    relativePath,
    canonicalPath: path.relative(root, absolutePath).split(path.sep).join('/'),
    absolutePath,
    existing,
    isSymlink,
  });
  let current = root;
  for (let index = 0; index < segments.length; index++) {
    const isLast = index === segments.length - 1;
    const candidate = path.join(current, segments[index]!);
    let info: Awaited<ReturnType<typeof lstat>>;
    try {
      info = await lstat(candidate);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return found(path.join(current, ...segments.slice(index)), 'none', false);
      if (errorCode(error) === 'ENOTDIR') {
        return {
          ok: false,
          reason: 'forbidden-path',
          message: `a parent of "${relativePath}" is a file, not a directory`,
        };
      }
      throw error;
    }
    let resolved = candidate;
    if (info.isSymbolicLink()) {
      try {
        resolved = await realpath(candidate);
      } catch {
        const target = await readlink(candidate).catch(() => '?');
        return {
          ok: false,
          reason: 'forbidden-path',
          message: `"${relativePath}" goes through a dangling symbolic link (→ ${target})`,
        };
      }
      if (!isInside(root, resolved)) {
        return {
          ok: false,
          reason: 'outside-worktree',
          message: `"${segments.slice(0, index + 1).join('/')}" is a symbolic link pointing outside the worktree`,
        };
      }
      info = await stat(resolved);
    }
    if (!isLast) {
      if (!info.isDirectory()) {
        return { ok: false, reason: 'forbidden-path', message: `a parent of "${relativePath}" is not a directory` };
      }
      current = resolved;
      continue;
    }
    if (info.isDirectory()) return found(resolved, 'directory', resolved !== candidate);
    if (!info.isFile()) {
      return {
        ok: false,
        reason: 'forbidden-path',
        message: `"${relativePath}" is a device, FIFO or socket, not a regular file`,
      };
    }
    return found(resolved, 'file', resolved !== candidate);
  }
  return found(current, 'none', false);
}
