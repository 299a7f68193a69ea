import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '@orchestrator/spec';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '-';
  }
}

function kind(path: string): string {
  try {
    const info = lstatSync(path);
    return info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch {
    return 'absent';
  }
}

function listing(directory: string): string {
  try {
    return readdirSync(directory).sort().join(',');
  } catch {
    return '-';
  }
}

/**
 * A fingerprint of the git metadata a command in `cwd` could use to make host-side git run code: what `.git` is (a
 * regular pointer file, a directory, a link), the pointer's text, and the configuration, hooks and attributes of the
 * git directory and common directory it names (for a worktree: `<common>/worktrees/<name>` and `<common>`).
 */
export function gitMetadataFingerprint(cwd: string): string {
  const dotGit = join(cwd, '.git');
  const type = kind(dotGit);
  if (type === 'absent') return 'absent';
  if (type === 'link') return `link:${read(dotGit)}`;
  const parts = [`${type}`];
  let gitDir = dotGit;
  if (type === 'file') {
    const pointer = read(dotGit);
    parts.push(pointer);
    const match = /^gitdir: (.+)\n?$/.exec(pointer);
    if (match === null) return parts.join('\0');
    gitDir = resolve(cwd, match[1]!);
  }
  const common = read(join(gitDir, 'commondir')).trim();
  const commonDir = common === '-' ? gitDir : resolve(gitDir, common);
  for (const directory of new Set([gitDir, commonDir])) {
    parts.push(
      kind(directory),
      read(join(directory, 'config')),
      read(join(directory, 'config.worktree')),
      read(join(directory, 'gitdir')),
      read(join(directory, 'commondir')),
      read(join(directory, 'info', 'attributes')),
      listing(join(directory, 'hooks')),
    );
  }
  return parts.join('\0');
}

/** The error of a sandboxed step after which the worktree's git metadata is not what it was. */
export function gitMetadataChanged(cwd: string, command: string): UserError {
  return new UserError({
    code: 'sandbox-git-metadata-changed',
    message: `The sandboxed command changed the git metadata of ${cwd} (.git, or the config, hooks or attributes it points to): the worktree is refused.`,
    hint: 'A test or script of this repository rewrote git metadata; nothing more runs there and nothing is committed. Inspect the worktree, then remove it and start a new run.',
    details: { cwd, command },
  });
}
