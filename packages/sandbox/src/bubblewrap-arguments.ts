import { existsSync, lstatSync, readlinkSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { UserError } from '@orchestrator/spec';
import type { ToolchainMounts } from './toolchain-mounts.ts';

/**
 * Credential stores under the home directory. The home is never mounted; these are masked wherever a bound path
 * (a toolchain directory under the home, or the worktree itself) would show them.
 */
export const credentialPathsInHome = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.docker',
  '.kube',
  '.claude',
  '.config',
  '.cache',
  '.local/share',
  '.vault-token',
  '.pgpass',
  '.bash_history',
  '.zsh_history',
  '.python_history',
  '.node_repl_history',
  '.psql_history',
  '.mysql_history',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pypirc',
  '.netrc',
  '.gitconfig',
  '.git-credentials',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.env',
] as const;

/** The only entries of /etc a test sees: the dynamic loader, users, hosts, time zone and TLS trust. */
export const etcAllowList = [
  'alternatives',
  'ca-certificates',
  'ca-certificates.conf',
  'crypto-policies',
  'debian_version',
  'group',
  'host.conf',
  'hosts',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'locale.alias',
  'mime.types',
  'nsswitch.conf',
  'os-release',
  'passwd',
  'pki',
  'protocols',
  'services',
  'ssl',
  'timezone',
] as const;

/** Top-level system directories bound read-only (or recreated as the links they are on merged-/usr systems). */
const systemTops = ['usr', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'] as const;

export interface BubblewrapLayout {
  /** The worktree: bound read-write at its own path, and the working directory. */
  cwd: string;
  /** The host's home directory: never mounted; its credential stores are masked inside anything that is. */
  hostHome: string;
  /** More paths to hide inside bound paths (e.g. the orchestrator's data directory; the worktree stays visible). */
  hiddenPaths?: readonly string[];
  /** The command's toolchain, bound read-only (see `resolveToolchainMounts`). */
  toolchain?: ToolchainMounts;
  /** The descriptor bwrap reads the seccomp program from (see `unixSocketFilter`). */
  seccompFd?: number;
}

function within(parent: string, child: string): boolean {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

function kindOf(path: string): 'link' | 'directory' | 'file' | undefined {
  try {
    const info = lstatSync(path);
    if (info.isSymbolicLink()) return 'link';
    return info.isDirectory() ? 'directory' : 'file';
  } catch {
    return undefined;
  }
}

/**
 * The bubblewrap flags of a run. Reads are an allow-list: the root is an empty tmpfs (remounted read-only at the end)
 * holding only /usr and the other system directories, a minimal /etc, fresh /dev and /proc, private /tmp and /var/tmp,
 * the command's toolchain read-only, and the worktree read-write — never the home directory, /root, /home, /var, /run,
 * /mnt, /opt or /srv, so no host Unix socket is even visible. The worktree's `.git` (pointer file or directory) is bound
 * read-only over itself. Every namespace is unshared (no network but a private loopback, no IPC), all capabilities
 * dropped, the session is new and the sandbox dies with its parent; with `seccompFd`, `socket(AF_UNIX)` fails too.
 */
export function buildBubblewrapArguments(layout: BubblewrapLayout): string[] {
  if (layout.cwd === '/' || !isAbsolute(layout.cwd)) {
    throw new UserError({
      code: 'sandbox-worktree-invalid',
      message: `Refusing to sandbox a command in ${layout.cwd}: the working directory would expose the whole host.`,
      hint: 'Run the command in a worktree or repository directory.',
    });
  }
  const args = ['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--hostname', 'sandbox'];
  for (const top of systemTops) {
    const path = `/${top}`;
    const kind = kindOf(path);
    if (kind === 'link') args.push('--symlink', readlinkSync(path), path);
    else if (kind === 'directory') args.push('--ro-bind', path, path);
  }
  for (const entry of etcAllowList) {
    const path = `/etc/${entry}`;
    if (existsSync(path)) args.push('--ro-bind', path, path);
  }
  args.push('--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp');
  const toolchain = layout.toolchain ?? { paths: [], links: [] };
  const masks = [...credentialPathsInHome.map((path) => join(layout.hostHome, path)), ...(layout.hiddenPaths ?? [])];
  const bound = [...toolchain.paths.filter((path) => !within(layout.cwd, path)), layout.cwd];
  for (const path of toolchain.paths) {
    if (!within(layout.cwd, path)) args.push('--ro-bind', path, path);
  }
  for (const link of toolchain.links) {
    if (within(layout.cwd, link.path)) continue;
    args.push('--dir', dirname(link.path), '--symlink', link.target, link.path);
  }
  args.push('--bind', layout.cwd, layout.cwd);
  for (const mask of masks) {
    // Only what a bound path would show needs a mask; the worktree itself (inside the data directory) stays visible.
    if (!bound.some((path) => within(path, mask)) || within(mask, layout.cwd) || !existsSync(mask)) continue;
    if (statSync(mask).isDirectory()) args.push('--tmpfs', mask, '--remount-ro', mask);
    else args.push('--ro-bind', '/dev/null', mask);
  }
  const dotGit = join(layout.cwd, '.git');
  const gitKind = kindOf(dotGit);
  if (gitKind === 'link') {
    throw new UserError({
      code: 'sandbox-git-metadata-invalid',
      message: `${dotGit} is a symbolic link: git metadata that is a link cannot be protected from the sandboxed command.`,
      hint: 'Replace the link with the .git git wrote (remove the worktree and start a new run).',
    });
  }
  if (gitKind !== undefined) args.push('--ro-bind', dotGit, dotGit);
  if (layout.seccompFd !== undefined) args.push('--seccomp', String(layout.seccompFd));
  args.push('--remount-ro', '/', '--chdir', layout.cwd);
  return args;
}
