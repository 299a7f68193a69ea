import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OrchestratorError } from '@orchestrator/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forcedGitConfig, gitArguments, gitEnvironment } from '../src/git-command.ts';
import { GitWorkspaceProvider } from '../src/git-workspace-provider.ts';
import { findWorktreeGitDir, verifyWorktreeMetadata } from '../src/worktree-metadata.ts';
import { createRepository, temporaryDirectory } from './support/git-fixture.ts';

describe('the host-side git runner', () => {
  it('forces every command-running setting off and names the git dir and work tree explicitly', () => {
    const args = gitArguments(['diff', '--cached'], { gitDir: '/r/.git/worktrees/a', workTree: '/w' });
    for (const setting of [
      'core.fsmonitor=false',
      'core.hooksPath=/dev/null',
      'core.sshCommand=false',
      'credential.helper=',
      'protocol.ext.allow=never',
    ]) {
      expect(forcedGitConfig).toContain(setting);
      expect(args[args.indexOf(setting) - 1]).toBe('-c');
    }
    expect(args.slice(-6)).toEqual([
      '--git-dir=/r/.git/worktrees/a',
      '--work-tree=/w',
      'diff',
      '--no-ext-diff',
      '--no-textconv',
      '--cached',
    ]);
  });

  it('drops every inherited GIT_* variable and ignores system and global configuration', () => {
    process.env.GIT_DIR = '/elsewhere';
    process.env.GIT_EXTERNAL_DIFF = 'evil';
    process.env.GIT_SSH_COMMAND = 'evil';
    try {
      const environment = gitEnvironment({ GIT_INDEX_FILE: '/tmp/index' });
      expect(environment.GIT_DIR).toBeUndefined();
      expect(environment.GIT_EXTERNAL_DIFF).toBeUndefined();
      expect(environment.GIT_SSH_COMMAND).toBeUndefined();
      expect(environment).toMatchObject({
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_INDEX_FILE: '/tmp/index',
      });
    } finally {
      delete process.env.GIT_DIR;
      delete process.env.GIT_EXTERNAL_DIFF;
      delete process.env.GIT_SSH_COMMAND;
    }
  });
});

describe('verifyWorktreeMetadata', () => {
  let scratch: { path: string; dispose: () => Promise<void> };
  let first: { root: string; gitDir: string };
  let second: { root: string; gitDir: string };

  beforeEach(async () => {
    scratch = await temporaryDirectory('worktree-metadata-');
    const repo = path.join(scratch.path, 'repo');
    await createRepository(repo, { 'README.md': '# demo\n' });
    const provider = new GitWorkspaceProvider({ dataDir: path.join(scratch.path, 'data') });
    first = await provider.open({ repo, runId: 'r-1', slug: 'one' });
    second = await provider.open({ repo, runId: 'r-2', slug: 'two' });
  });
  afterEach(async () => {
    await scratch.dispose();
  });

  const codeOf = (make: () => unknown) => {
    try {
      make();
      return 'accepted';
    } catch (error) {
      return OrchestratorError.isInstance(error) ? error.code : String(error);
    }
  };

  it('accepts the pointer git wrote, found from the repository side', async () => {
    const common = await realpath(path.join(scratch.path, 'repo', '.git'));
    expect(findWorktreeGitDir(common, first.root)).toBe(first.gitDir);
    expect(verifyWorktreeMetadata(first.root, first.gitDir)).toEqual({ gitDir: first.gitDir, commonDir: common });
  });

  it('refuses a pointer into the worktree, to another worktree, or that is not a pointer', async () => {
    const pointer = path.join(first.root, '.git');
    const original = await readFile(pointer, 'utf8');
    await mkdir(path.join(first.root, 'fake'));
    await writeFile(pointer, 'gitdir: fake\n');
    expect(codeOf(() => verifyWorktreeMetadata(first.root))).toBe('workspace-git-metadata-changed');
    await writeFile(pointer, `gitdir: ${second.gitDir}\n`);
    expect(codeOf(() => verifyWorktreeMetadata(first.root))).toBe('workspace-git-metadata-changed');
    await writeFile(pointer, '[core]\n\tfsmonitor = touch /tmp/x\n');
    expect(codeOf(() => verifyWorktreeMetadata(first.root))).toBe('workspace-git-metadata-changed');
    await writeFile(pointer, original);
    expect(codeOf(() => verifyWorktreeMetadata(first.root, second.gitDir))).toBe('workspace-git-metadata-changed');
    expect(codeOf(() => verifyWorktreeMetadata(first.root, first.gitDir))).toBe('accepted');
  });
});
