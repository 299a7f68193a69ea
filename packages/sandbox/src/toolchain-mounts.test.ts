import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandWords, resolveToolchainMounts, type ToolchainContext } from './toolchain-mounts.ts';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'toolchain-mounts-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function executable(path: string, content = '\x7fELF fake binary'): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, 0o755);
  return path;
}

function link(path: string, target: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

const home = join(root, 'home');
const worktree = join(root, 'data', 'worktrees', 'r-1');
mkdirSync(worktree, { recursive: true });

function context(searchPath: string[], environment: Record<string, string> = {}): ToolchainContext {
  return { searchPath: searchPath.join(':'), worktree, hostHome: home, environment, hiddenPaths: [join(root, 'data')] };
}

describe('resolveToolchainMounts', () => {
  it('binds the node package behind node_modules/.bin/node and recreates the link, not the checkout', () => {
    const checkout = join(root, 'checkout');
    mkdirSync(checkout, { recursive: true });
    writeFileSync(join(checkout, '.env'), 'SECRET=1\n');
    executable(join(checkout, 'node_modules', 'node', 'bin', 'node'));
    link(join(checkout, 'node_modules', '.bin', 'node'), '../node/bin/node');
    const mounts = resolveToolchainMounts('node --test', context([join(checkout, 'node_modules', '.bin')]));
    expect(mounts.paths).toEqual([join(checkout, 'node_modules', 'node')]);
    expect(mounts.links).toEqual([
      { path: join(checkout, 'node_modules', '.bin', 'node'), target: '../node/bin/node' },
    ]);
  });

  it('binds pyenv whole for its shim (and the interpreter the shim names), never the home', () => {
    executable(join(home, '.pyenv', 'shims', 'python3'), '#!/usr/bin/env bash\nexec pyenv exec python3 "$@"\n');
    const mounts = resolveToolchainMounts('python3 -m pytest -q', context([join(home, '.pyenv', 'shims'), '/usr/bin']));
    expect(mounts.paths).toEqual([join(home, '.pyenv')]);
  });

  it('binds cargo together with rustup, and nothing for a command that names neither', () => {
    executable(join(home, '.cargo', 'bin', 'rustup'));
    link(join(home, '.cargo', 'bin', 'cargo'), 'rustup');
    mkdirSync(join(home, '.rustup', 'toolchains'), { recursive: true });
    const path = [join(home, '.cargo', 'bin'), '/usr/bin'];
    expect(resolveToolchainMounts('cargo test --offline', context(path)).paths).toEqual([
      join(home, '.cargo'),
      join(home, '.rustup'),
    ]);
    expect(resolveToolchainMounts('true', context(path)).paths).toEqual([]);
  });

  it('binds an installation prefix, and the interpreter of a script in another prefix', () => {
    const interpreter = executable(join(root, 'opt', 'lang-2', 'bin', 'lang'));
    executable(join(root, 'opt', 'runner-1', 'bin', 'runner'), `#!${interpreter} -x\n`);
    const mounts = resolveToolchainMounts('runner all', context([join(root, 'opt', 'runner-1', 'bin')]));
    expect(mounts.paths).toEqual([join(root, 'opt', 'lang-2'), join(root, 'opt', 'runner-1')]);
  });

  it('binds only the file when its prefix is the home or a project', () => {
    const inHome = executable(join(home, 'bin', 'mytool'));
    const project = join(root, 'project');
    mkdirSync(join(project, 'bin'), { recursive: true });
    writeFileSync(join(project, '.env'), 'X=1\n');
    const inProject = executable(join(project, 'bin', 'helper'));
    const mounts = resolveToolchainMounts('mytool && helper', context([join(home, 'bin'), join(project, 'bin')]));
    expect(mounts.paths).toEqual([inHome, inProject]);
  });

  it('reads the words of package.json scripts for npm test', () => {
    executable(join(root, 'opt', 'pylike', 'bin', 'pylike'));
    writeFileSync(join(worktree, 'package.json'), JSON.stringify({ scripts: { test: 'pylike -m check' } }));
    const mounts = resolveToolchainMounts('npm test', context([join(root, 'opt', 'pylike', 'bin'), '/usr/bin']));
    expect(mounts.paths).toContain(join(root, 'opt', 'pylike'));
    rmSync(join(worktree, 'package.json'));
  });
});

describe('commandWords', () => {
  it('finds the program of each simple command, skipping assignments and wrappers', () => {
    expect(commandWords('FOO=1 npm test && cd x; make -C y | tee z')).toEqual(['npm', 'cd', 'make', 'tee']);
    expect(commandWords('env CI=1 exec go test ./... || (cd sub && cargo test)')).toEqual(['go', 'cd', 'cargo']);
  });
});
