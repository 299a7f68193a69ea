import { lstat, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEdits } from '../src/apply-edits.ts';
import { restoreToBase, selectCommitFiles } from '../src/commit-file-selection.ts';
import type { GitWorkspace } from '../src/git-workspace.ts';
import { GitWorkspaceProvider } from '../src/git-workspace-provider.ts';
import { createRepository, temporaryDirectory } from './support/git-fixture.ts';

let disposeAll: Array<() => Promise<void>> = [];
let workspace: GitWorkspace;

beforeEach(async () => {
  const repo = await temporaryDirectory('snapshot-repo-');
  const data = await temporaryDirectory('snapshot-data-');
  disposeAll = [repo.dispose, data.dispose];
  await createRepository(repo.path, {
    'README.md': '# demo\n',
    'src/keep.js': 'export const keep = 1;\n',
    '.gitignore': 'cache/\n',
  });
  workspace = (await new GitWorkspaceProvider({ dataDir: data.path }).open({
    repo: repo.path,
    runId: 'r-snap',
    slug: 'snap',
  })) as GitWorkspace;
});
afterEach(async () => {
  for (const dispose of disposeAll) await dispose();
});

const at = (name: string) => path.join(workspace.root, name);
const exists = (name: string) =>
  stat(at(name)).then(
    () => true,
    () => false,
  );

describe('worktree snapshots: what a command left behind', () => {
  it('lists files a command added, changed and deleted, ignored ones flagged, and puts them all back', async () => {
    await workspace.applyEdits([{ kind: 'create', path: 'src/model.js', content: 'export const model = 2;\n' }]);
    const snapshot = await workspace.snapshots.snapshot();
    // What a test run might do: write a new file in a new folder, rewrite the model's file, delete a tracked file.
    await mkdir(at('out/deep'), { recursive: true });
    await writeFile(at('out/deep/stolen.b64'), 'QUtJQQ==\n');
    await writeFile(at('src/model.js'), 'export const model = "tampered";\n');
    await rm(at('README.md'));
    await mkdir(at('cache'), { recursive: true });
    await writeFile(at('cache/run.bin'), 'x'.repeat(10));

    const changes = await workspace.snapshots.changesSince(snapshot);
    expect(changes).toEqual([
      { path: 'README.md', change: 'deleted', bytes: 7, ignored: false },
      { path: 'cache/run.bin', change: 'added', bytes: 10, ignored: true },
      { path: 'out/deep/stolen.b64', change: 'added', bytes: 9, ignored: false },
      { path: 'src/model.js', change: 'modified', bytes: 33, ignored: false },
    ]);

    const restore = await workspace.snapshots.restoreSnapshot(
      snapshot,
      changes.map((change) => change.path),
    );
    expect(restore).toEqual({
      restored: ['README.md', 'cache/run.bin', 'out/deep/stolen.b64', 'src/model.js'],
      notRestored: [],
    });
    expect(await readFile(at('README.md'), 'utf8')).toBe('# demo\n');
    expect(await readFile(at('src/model.js'), 'utf8')).toBe('export const model = 2;\n');
    expect(await exists('out')).toBe(false);
    expect(await exists('cache')).toBe(false);
    // Only the model's edit is left in the change.
    const diff = await workspace.diff();
    expect(diff.match(/^diff --git .*$/gm)).toEqual(['diff --git a/src/model.js b/src/model.js']);
  });

  it('never removes through a link: a folder replaced by a link pointing out is restored, the outside untouched', async () => {
    const outside = await temporaryDirectory('snapshot-outside-');
    disposeAll.push(outside.dispose);
    await writeFile(path.join(outside.path, 'keep.js'), 'host file\n');
    const snapshot = await workspace.snapshots.snapshot();
    await rm(at('src'), { recursive: true });
    await symlink(outside.path, at('src'));
    const changes = await workspace.snapshots.changesSince(snapshot);
    expect(changes.map((change) => `${change.change} ${change.path}`)).toEqual(['added src', 'deleted src/keep.js']);
    await workspace.snapshots.restoreSnapshot(
      snapshot,
      // The restore must hold whatever the order: the nested path first.
      changes.map((change) => change.path).reverse(),
    );
    expect(await readFile(path.join(outside.path, 'keep.js'), 'utf8')).toBe('host file\n');
    expect((await lstat(at('src'))).isDirectory()).toBe(true);
    expect(await readFile(at('src/keep.js'), 'utf8')).toBe('export const keep = 1;\n');
  });

  it('finds nothing when nothing changed', async () => {
    const snapshot = await workspace.snapshots.snapshot();
    expect(await workspace.snapshots.changesSince(snapshot)).toEqual([]);
  });
});

describe('commit file selection: only the paths the model edited', () => {
  it('splits the changes into the model edits and leftovers, and puts the leftovers back as the base has them', async () => {
    await workspace.applyEdits([{ kind: 'create', path: 'src/model.js', content: 'export const model = 2;\n' }]);
    await mkdir(at('out'), { recursive: true });
    await writeFile(at('out/stray.b64'), 'QUtJQQ==\n');
    await writeFile(at('README.md'), '# changed by a test\n');
    await rm(at('src/keep.js'));
    const selection = await selectCommitFiles(workspace.root, workspace.baseCommit, ['src/model.js']);
    expect(selection.commit).toEqual([{ path: 'src/model.js', change: 'added', bytes: 24, ignored: false }]);
    expect(selection.leftovers.map((file) => `${file.change} ${file.path} ${file.bytes}`)).toEqual([
      'modified README.md 20',
      'added out/stray.b64 9',
      'deleted src/keep.js 23',
    ]);
    await restoreToBase(
      workspace.root,
      workspace.baseCommit,
      selection.leftovers.map((file) => file.path),
    );
    expect(await exists('out')).toBe(false);
    expect(await readFile(at('README.md'), 'utf8')).toBe('# demo\n');
    expect(await readFile(at('src/keep.js'), 'utf8')).toBe('export const keep = 1;\n');
    expect((await selectCommitFiles(workspace.root, workspace.baseCommit, ['src/model.js'])).leftovers).toEqual([]);
  });
});

describe('size bounds on applied edits', () => {
  const mebibyte = 1024 * 1024;

  it('refuses an edit over the per-edit bound with a clear, repairable failure and writes nothing', async () => {
    const result = await applyEdits(workspace.root, [
      { kind: 'create', path: 'small.txt', content: 'ok\n' },
      { kind: 'create', path: 'huge.txt', content: 'a'.repeat(2 * mebibyte) },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures).toEqual([expect.objectContaining({ editIndex: 1, path: 'huge.txt', reason: 'too-large' })]);
    expect(result.failures[0]?.message).toContain('is 2.0 MiB, over the 1.0 MiB limit per edit');
    expect(await exists('small.txt')).toBe(false);
    expect(await exists('huge.txt')).toBe(false);
  });

  it('refuses a batch over the per-diff bound and a file grown past the per-file bound', async () => {
    const limits = { maxEditBytes: 140, maxFileBytes: 150, maxDiffBytes: 180 };
    const batch = await applyEdits(
      workspace.root,
      [
        { kind: 'create', path: 'a.txt', content: 'a'.repeat(100) },
        { kind: 'create', path: 'b.txt', content: 'b'.repeat(100) },
      ],
      { limits },
    );
    expect(batch.ok === false && batch.failures.map((failure) => failure.message)).toEqual([
      'the edits total 200 B, over the 180 B limit per change; split the change or make it smaller',
    ]);
    await applyEdits(workspace.root, [{ kind: 'create', path: 'grow.txt', content: 'g'.repeat(100) }], { limits });
    const grown = await applyEdits(
      workspace.root,
      [{ kind: 'search-replace', path: 'grow.txt', search: 'g'.repeat(40), replace: 'h'.repeat(91) }],
      { limits },
    );
    expect(grown.ok === false && grown.failures[0]?.message).toBe(
      '"grow.txt" would be 151 B, over the 150 B limit per file; keep the file smaller',
    );
  });
});
