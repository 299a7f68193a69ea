import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileEdit } from '@orchestrator/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEdits } from '../src/apply-edits.ts';
import { temporaryDirectory } from './support/git-fixture.ts';

let scratch: { path: string; dispose: () => Promise<void> };
let root: string;
let outside: string;

beforeEach(async () => {
  scratch = await temporaryDirectory('edit-refusals-');
  root = path.join(scratch.path, 'worktree');
  outside = path.join(scratch.path, 'outside');
  await mkdir(path.join(root, '.git'), { recursive: true });
  await mkdir(path.join(root, 'pkg', '.git'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(root, '.git', 'config'), '[core]\n');
  await writeFile(path.join(root, 'inside.txt'), 'inside\n');
  await writeFile(path.join(outside, 'secret.txt'), 'secret\n');
  await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link-out.txt'));
  await symlink(outside, path.join(root, 'dir-out'));
  await symlink(path.join(outside, 'missing.txt'), path.join(root, 'dangling.txt'));
  await symlink('inside.txt', path.join(root, 'link-in.txt'));
  execFileSync('mkfifo', [path.join(root, 'pipe')]);
});
afterEach(async () => {
  await scratch.dispose();
});

async function snapshot(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true });
  return entries.sort();
}

const refusals: Array<[string, FileEdit, 'outside-worktree' | 'forbidden-path']> = [
  ['a parent-directory path', { kind: 'create', path: '../outside/new.txt', content: 'x' }, 'outside-worktree'],
  [
    'a hidden parent-directory segment',
    { kind: 'create', path: 'pkg/../../escape.txt', content: 'x' },
    'outside-worktree',
  ],
  ['an absolute path', { kind: 'create', path: '/tmp/absolute.txt', content: 'x' }, 'outside-worktree'],
  ['a Windows drive path', { kind: 'create', path: 'C:/x.txt', content: 'x' }, 'outside-worktree'],
  ['the .git directory', { kind: 'create', path: '.git/hooks/post-commit', content: 'x' }, 'forbidden-path'],
  [
    'a nested .git directory',
    { kind: 'search-replace', path: 'pkg/.git/config', search: '', replace: 'x' },
    'forbidden-path',
  ],
  ['.git in another case', { kind: 'delete', path: '.GIT/config' }, 'forbidden-path'],
  [
    'a symlink pointing out',
    { kind: 'search-replace', path: 'link-out.txt', search: 'secret', replace: 'pwned' },
    'outside-worktree',
  ],
  [
    'a symlinked parent directory pointing out',
    { kind: 'create', path: 'dir-out/new.txt', content: 'x' },
    'outside-worktree',
  ],
  ['a dangling symlink', { kind: 'create', path: 'dangling.txt', content: 'x', overwrite: true }, 'forbidden-path'],
  ['a FIFO', { kind: 'create', path: 'pipe', content: 'x', overwrite: true }, 'forbidden-path'],
  ['a device (through a link)', { kind: 'delete', path: 'dev-null' }, 'outside-worktree'],
  ['a rename target outside', { kind: 'rename', from: 'inside.txt', to: '../outside/moved.txt' }, 'outside-worktree'],
  [
    'a diff writing outside',
    { kind: 'unified-diff', diff: '--- /dev/null\n+++ b/../../evil.txt\n@@ -0,0 +1 @@\n+x\n' },
    'outside-worktree',
  ],
  [
    'a diff writing into .git',
    { kind: 'unified-diff', diff: '--- a/.git/config\n+++ b/.git/config\n@@ -1 +1 @@\n-[core]\n+[evil]\n' },
    'forbidden-path',
  ],
  ['a backslash path', { kind: 'create', path: '..\\escape.txt', content: 'x' }, 'forbidden-path'],
];

describe('edits outside the worktree are refused and nothing is written', () => {
  it.each(refusals)('refuses %s', async (_label, edit, reason) => {
    await symlink('/dev/null', path.join(root, 'dev-null')).catch(() => {});
    const before = await snapshot(root);
    const result = await applyEdits(root, [{ kind: 'create', path: 'allowed.txt', content: 'ok\n' }, edit]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ editIndex: 1, reason });
    expect(await snapshot(root)).toEqual(before);
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret\n');
    expect(await readdir(outside)).toEqual(['secret.txt']);
    expect(await readdir(scratch.path)).toEqual(['outside', 'worktree']);
  });

  it('refuses a character device inside the worktree', async () => {
    try {
      execFileSync('mknod', [path.join(root, 'null-device'), 'c', '1', '3']);
    } catch {
      // Without the privilege to create a device node, the FIFO case above covers special files.
      return;
    }
    const result = await applyEdits(root, [{ kind: 'create', path: 'null-device', content: 'x', overwrite: true }]);
    expect(result).toMatchObject({ ok: false, failures: [{ reason: 'forbidden-path' }] });
  });

  it('edits through a symlink that stays inside by writing its target, keeping the link', async () => {
    const result = await applyEdits(root, [
      { kind: 'search-replace', path: 'link-in.txt', search: 'inside', replace: 'changed' },
    ]);
    expect(result.ok).toBe(true);
    expect(await readFile(path.join(root, 'inside.txt'), 'utf8')).toBe('changed\n');
    expect(
      (await import('node:fs/promises').then((fs) => fs.lstat(path.join(root, 'link-in.txt')))).isSymbolicLink(),
    ).toBe(true);
  });
});
