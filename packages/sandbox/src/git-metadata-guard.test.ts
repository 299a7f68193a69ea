import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitMetadataChanged, gitMetadataFingerprint } from './git-metadata-guard.ts';

const root = mkdtempSync(join(tmpdir(), 'git-metadata-guard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('gitMetadataFingerprint', () => {
  const common = join(root, 'repo', '.git');
  const gitDir = join(common, 'worktrees', 'r-1');
  const worktree = join(root, 'worktree');
  mkdirSync(gitDir, { recursive: true });
  mkdirSync(join(common, 'hooks'));
  mkdirSync(worktree);
  writeFileSync(join(common, 'config'), '[core]\n\tbare = false\n');
  writeFileSync(join(gitDir, 'commondir'), '../..\n');
  writeFileSync(join(gitDir, 'gitdir'), `${worktree}/.git\n`);
  writeFileSync(join(worktree, '.git'), `gitdir: ${gitDir}\n`);

  it('is stable while nothing changes, and moves with the pointer, the configs and the hooks', () => {
    const before = gitMetadataFingerprint(worktree);
    expect(gitMetadataFingerprint(worktree)).toBe(before);
    const changes: Array<() => void> = [
      () => writeFileSync(join(common, 'config'), '[core]\n\tfsmonitor = touch /tmp/x\n'),
      () => writeFileSync(join(gitDir, 'config.worktree'), '[core]\n\thooksPath = .\n'),
      () => writeFileSync(join(common, 'hooks', 'pre-commit'), '#!/bin/sh\n'),
      () => writeFileSync(join(worktree, '.git'), 'gitdir: .evil\n'),
    ];
    let previous = before;
    for (const change of changes) {
      change();
      const next = gitMetadataFingerprint(worktree);
      expect(next).not.toBe(previous);
      previous = next;
    }
  });

  it('tells a link from a file, and absence from both', () => {
    const linked = join(root, 'linked');
    mkdirSync(linked);
    expect(gitMetadataFingerprint(linked)).toBe('absent');
    symlinkSync(join(worktree, '.git'), join(linked, '.git'));
    expect(gitMetadataFingerprint(linked)).toMatch(/^link:/);
    expect(gitMetadataChanged(linked, 'npm test').code).toBe('sandbox-git-metadata-changed');
  });
});
