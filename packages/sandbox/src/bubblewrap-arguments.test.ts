import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrchestratorError } from '@orchestrator/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBubblewrapArguments } from './bubblewrap-arguments.ts';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'bubblewrap-arguments-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const home = join(root, 'home');
const worktree = join(root, 'worktree');
mkdirSync(join(home, '.cargo', 'bin'), { recursive: true });
writeFileSync(join(home, '.cargo', 'credentials.toml'), 'token = "x"\n');
mkdirSync(worktree, { recursive: true });
writeFileSync(join(worktree, '.git'), 'gitdir: /somewhere/.git/worktrees/r-1\n');

/** The flags as [flag, ...operands] groups, for order-independent checks. */
function pairs(args: string[]): string[] {
  return args.map((arg, index) => `${arg} ${args[index + 1] ?? ''} ${args[index + 2] ?? ''}`.trim());
}

describe('buildBubblewrapArguments', () => {
  const args = buildBubblewrapArguments({
    cwd: worktree,
    hostHome: home,
    toolchain: { paths: [join(home, '.cargo')], links: [{ path: '/opt/x/bin/tool', target: '../lib/tool' }] },
    seccompFd: 3,
  });
  const joined = pairs(args);

  it('mounts an allow-list: never the root, the home, /root, /home, /var or /run', () => {
    expect(joined).not.toContain('--ro-bind / /');
    expect(joined.some((entry) => /^--(ro-)?bind (\/|\/root|\/home|\/var|\/run|\/mnt|\/opt)( |$)/.test(entry))).toBe(
      false,
    );
    expect(args).not.toContain(home);
    expect(joined).toContain('--ro-bind /usr /usr');
    expect(joined).toContain('--ro-bind /etc/passwd /etc/passwd');
    expect(args).not.toContain('/etc/shadow');
    expect(args.slice(-4)).toEqual(['--remount-ro', '/', '--chdir', worktree]);
  });

  it('unshares every namespace, drops capabilities, and loads the seccomp program', () => {
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session']) expect(args).toContain(flag);
    expect(joined).toContain('--cap-drop ALL --hostname');
    expect(joined).toContain('--seccomp 3 --remount-ro');
  });

  it('binds the toolchain read-only with its credentials masked, and recreates links', () => {
    expect(joined).toContain(`--ro-bind ${home}/.cargo ${home}/.cargo`);
    expect(joined).toContain(`--ro-bind /dev/null ${home}/.cargo/credentials.toml`);
    expect(joined).toContain('--symlink ../lib/tool /opt/x/bin/tool');
  });

  it('binds the worktree read-write, then its .git read-only over it', () => {
    const worktreeBind = joined.indexOf(`--bind ${worktree} ${worktree}`);
    const gitBind = joined.indexOf(`--ro-bind ${worktree}/.git ${worktree}/.git`);
    expect(worktreeBind).toBeGreaterThan(0);
    expect(gitBind).toBeGreaterThan(worktreeBind);
  });

  it('refuses a .git that is a symbolic link, and the root directory as working directory', () => {
    const linked = join(root, 'linked');
    mkdirSync(linked);
    symlinkSync('/etc', join(linked, '.git'));
    const codeOf = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return OrchestratorError.isInstance(error) ? error.code : String(error);
      }
      return 'no error';
    };
    expect(codeOf(() => buildBubblewrapArguments({ cwd: linked, hostHome: home }))).toBe(
      'sandbox-git-metadata-invalid',
    );
    expect(codeOf(() => buildBubblewrapArguments({ cwd: '/', hostHome: home }))).toBe('sandbox-worktree-invalid');
  });
});
