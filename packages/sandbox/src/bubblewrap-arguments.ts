import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Credential stores under the home directory, hidden from the sandbox even though the file system is readable. */
export const credentialPathsInHome = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.docker',
  '.kube',
  '.config/gcloud',
  '.config/gh',
  '.config/hub',
  '.local/share/orchestrator',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pypirc',
  '.netrc',
  '.git-credentials',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.env',
] as const;

export interface BubblewrapLayout {
  /** The worktree: bound read-write at its own path, and the working directory. */
  cwd: string;
  /** The host's home directory, whose credential stores are hidden. */
  hostHome: string;
  /** More paths to hide (e.g. the orchestrator's data directory; the worktree inside it stays visible). */
  hiddenPaths?: readonly string[];
}

/**
 * The bubblewrap flags of a run: every namespace unshared (no network: only a private loopback), all capabilities
 * dropped, `/` read-only, fresh /dev and /proc, private /tmp, credential stores masked, the worktree writable. Masks
 * come before the worktree bind so a worktree inside a hidden directory stays reachable.
 */
export function buildBubblewrapArguments(layout: BubblewrapLayout): string[] {
  const args = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--hostname',
    'sandbox',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/var/tmp',
  ];
  const hidden = [...credentialPathsInHome.map((path) => join(layout.hostHome, path)), ...(layout.hiddenPaths ?? [])];
  for (const path of hidden) {
    if (!existsSync(path) || path.startsWith('/tmp/') || path.startsWith('/var/tmp/')) continue;
    if (statSync(path).isDirectory()) args.push('--tmpfs', path);
    else args.push('--ro-bind', '/dev/null', path);
  }
  args.push('--bind', layout.cwd, layout.cwd, '--chdir', layout.cwd);
  return args;
}
