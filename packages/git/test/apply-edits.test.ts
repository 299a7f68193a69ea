import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyEdits } from '../src/apply-edits.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'apply-edits-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const read = (name: string) => readFile(path.join(root, name), 'utf8');
const write = async (name: string, content: string) => {
  await mkdir(path.dirname(path.join(root, name)), { recursive: true });
  await writeFile(path.join(root, name), content);
};

const source = [
  'function greet(name) {',
  '  const greeting = "hello";',
  '  return [greeting, name].join(" ");',
  '}',
  '',
].join('\n');

describe('search/replace blocks', () => {
  it('replaces the first exact occurrence', async () => {
    await write('a.js', source);
    const result = await applyEdits(root, [
      { kind: 'search-replace', path: 'a.js', search: '"hello"', replace: '"hi"' },
    ]);
    expect(result).toEqual({ ok: true, applied: [{ editIndex: 0, path: 'a.js', strategy: 'exact' }] });
    expect(await read('a.js')).toBe(source.replace('"hello"', '"hi"'));
  });

  it('tolerates different indentation and re-indents the replacement', async () => {
    await write('a.js', source);
    const result = await applyEdits(root, [
      {
        kind: 'search-replace',
        path: 'a.js',
        search: 'const greeting = "hello";\nreturn [greeting, name].join(" ");\n',
        replace: 'const greeting = "hey";\nreturn [greeting, name].join(", ");\n',
      },
    ]);
    expect(result.ok && result.applied[0]?.strategy).toBe('whitespace-tolerant');
    expect(await read('a.js')).toBe(
      ['function greet(name) {', '  const greeting = "hey";', '  return [greeting, name].join(", ");', '}', ''].join(
        '\n',
      ),
    );
  });

  it('survives context drift with the anchored fuzzy strategy and keeps lines it did not know about', async () => {
    await write('a.js', source.replace('  return', '  // drifted comment\n  return'));
    const result = await applyEdits(root, [
      {
        kind: 'search-replace',
        path: 'a.js',
        search: 'function greet(name) {\n  const greeting = "hello";\n  return [greeting, name].join(" ");\n}\n',
        replace: 'function greet(name) {\n  const greeting = "hello";\n  return [greeting, name, "!"].join(" ");\n}\n',
      },
    ]);
    expect(result.ok && result.applied[0]?.strategy).toBe('anchored-fuzzy');
    expect(await read('a.js')).toContain('  // drifted comment\n  return [greeting, name, "!"].join(" ");');
  });

  it('preserves CRLF line endings and a missing final newline', async () => {
    await write('w.txt', 'one\r\ntwo\r\nthree');
    const result = await applyEdits(root, [
      { kind: 'search-replace', path: 'w.txt', search: 'two\nthree\n', replace: 'two\n2.5\nthree\n' },
    ]);
    expect(result.ok).toBe(true);
    expect(await read('w.txt')).toBe('one\r\ntwo\r\n2.5\r\nthree');
  });

  it('reports the closest match and the first diverging line when nothing matches', async () => {
    await write('a.js', source);
    const result = await applyEdits(root, [
      {
        kind: 'search-replace',
        path: 'a.js',
        search: 'function greet(name) {\n  const salutation = "hello";\n',
        replace: 'x',
      },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const failure = result.failures[0]!;
    expect(failure.reason).toBe('no-match');
    expect(failure.firstDivergingLine).toEqual({
      expected: '  const salutation = "hello";',
      actual: '  const greeting = "hello";',
      line: 2,
    });
    expect(failure.closestMatch?.startLine).toBe(1);
    expect(failure.closestMatch?.similarity).toBeGreaterThan(0.7);
    expect(await read('a.js')).toBe(source);
  });
});

describe('unified diffs', () => {
  it('applies a git diff with an offset hunk and miscounted header', async () => {
    await write('a.js', `// header\n// more\n${source}`);
    const diff = [
      'diff --git a/a.js b/a.js',
      '--- a/a.js',
      '+++ b/a.js',
      '@@ -1,3 +1,3 @@',
      ' function greet(name) {',
      '-  const greeting = "hello";',
      '+  const greeting = "bonjour";',
      '   return [greeting, name].join(" ");',
      '',
    ].join('\n');
    const result = await applyEdits(root, [{ kind: 'unified-diff', diff }]);
    expect(result).toEqual({ ok: true, applied: [{ editIndex: 0, path: 'a.js', strategy: 'exact' }] });
    expect(await read('a.js')).toContain('"bonjour"');
  });

  it('creates, deletes and renames files from a diff, with the executable bit', async () => {
    await write('old.txt', 'a\nb\n');
    await write('gone.txt', 'bye\n');
    const diff = [
      'diff --git a/new.sh b/new.sh',
      'new file mode 100755',
      '--- /dev/null',
      '+++ b/new.sh',
      '@@ -0,0 +1,2 @@',
      '+#!/bin/sh',
      '+echo hi',
      '\\ No newline at end of file',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/old.txt b/dir/new.txt',
      'similarity index 80%',
      'rename from old.txt',
      'rename to dir/new.txt',
      '--- a/old.txt',
      '+++ b/dir/new.txt',
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '+c',
      '',
    ].join('\n');
    const result = await applyEdits(root, [{ kind: 'unified-diff', diff }]);
    expect(result.ok).toBe(true);
    expect(await read('new.sh')).toBe('#!/bin/sh\necho hi');
    expect((await stat(path.join(root, 'new.sh'))).mode & 0o111).not.toBe(0);
    await expect(stat(path.join(root, 'gone.txt'))).rejects.toThrow();
    await expect(stat(path.join(root, 'old.txt'))).rejects.toThrow();
    expect(await read('dir/new.txt')).toBe('a\nc\n');
  });

  it('names the failing hunk and writes nothing when one hunk of the batch fails', async () => {
    await write('a.js', source);
    await write('b.txt', 'keep\n');
    const diff = [
      '--- a/a.js',
      '+++ b/a.js',
      '@@ -1,2 +1,2 @@',
      '-function greet(name) {',
      '+function greet(person) {',
      '   const greeting = "hello";',
      '@@ -3,2 +3,2 @@',
      '-  return [salutation, name].join(" ");',
      '+  return [greeting, person].join(" ");',
      ' }',
      '',
    ].join('\n');
    const result = await applyEdits(root, [
      { kind: 'create', path: 'c.txt', content: 'new\n' },
      { kind: 'unified-diff', diff },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ editIndex: 1, path: 'a.js', reason: 'no-match', hunk: 2 });
    expect(result.failures[0]?.firstDivergingLine?.line).toBe(3);
    expect(await read('a.js')).toBe(source);
    await expect(stat(path.join(root, 'c.txt'))).rejects.toThrow();
  });
});

describe('file operations', () => {
  it('creates, refuses to overwrite unless asked, deletes and renames', async () => {
    await write('x.txt', 'x\n');
    expect((await applyEdits(root, [{ kind: 'create', path: 'x.txt', content: 'y' }])).ok).toBe(false);
    await chmod(path.join(root, 'x.txt'), 0o755);
    const result = await applyEdits(root, [
      { kind: 'create', path: 'x.txt', content: 'y\n', overwrite: true },
      { kind: 'rename', from: 'x.txt', to: 'sub/y.txt' },
      { kind: 'create', path: 'z.txt', content: 'z' },
      { kind: 'delete', path: 'z.txt' },
    ]);
    expect(result.ok).toBe(true);
    expect(await read('sub/y.txt')).toBe('y\n');
    expect((await stat(path.join(root, 'sub/y.txt'))).mode & 0o777).toBe(0o755);
    await expect(stat(path.join(root, 'z.txt'))).rejects.toThrow();
  });
});

describe('encodings, line endings and refusals of content', () => {
  it('applies an LF diff to a CRLF file and keeps CRLF, the BOM and the missing final newline', async () => {
    await write('win.txt', '\uFEFFalpha\r\nbeta\r\ngamma');
    const diff =
      '--- a/win.txt\n+++ b/win.txt\n@@ -1,3 +1,3 @@\n alpha\n-beta\n+BETA\n gamma\n\\ No newline at end of file\n';
    const result = await applyEdits(root, [{ kind: 'unified-diff', diff }]);
    expect(result.ok).toBe(true);
    expect(await read('win.txt')).toBe('\uFEFFalpha\r\nBETA\r\ngamma');
  });

  it('adds a final newline when the diff says the new side has one', async () => {
    await write('end.txt', 'one\ntwo');
    const diff = '--- a/end.txt\n+++ b/end.txt\n@@ -1,2 +1,2 @@\n one\n-two\n\\ No newline at end of file\n+two\n';
    expect((await applyEdits(root, [{ kind: 'unified-diff', diff }])).ok).toBe(true);
    expect(await read('end.txt')).toBe('one\ntwo\n');
  });

  it('keeps the ending of each line in a file with mixed endings', async () => {
    await write('mixed.txt', 'a\r\nb\nc\r\n');
    const result = await applyEdits(root, [{ kind: 'search-replace', path: 'mixed.txt', search: 'b', replace: 'B' }]);
    expect(result.ok).toBe(true);
    expect(await read('mixed.txt')).toBe('a\r\nB\nc\r\n');
  });

  it('refuses to edit a binary file as text', async () => {
    await writeFile(path.join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x00, 0x01, 0x0a]));
    const result = await applyEdits(root, [{ kind: 'search-replace', path: 'image.bin', search: 'P', replace: 'Q' }]);
    expect(result).toMatchObject({ ok: false, failures: [{ reason: 'binary-file', path: 'image.bin' }] });
  });

  it('reports an ambiguous fuzzy match instead of guessing', async () => {
    const block = 'if (ready) {\n  start();\n  log("started");\n}\n';
    await write('twice.js', `${block}\n${block}`);
    const result = await applyEdits(root, [
      {
        kind: 'search-replace',
        path: 'twice.js',
        search: 'if (ready) {\n  start();\n  log("begun");\n}\n',
        replace: 'if (ready) {\n  start();\n  log("begun");\n  done();\n}\n',
      },
    ]);
    expect(result).toMatchObject({ ok: false, failures: [{ reason: 'ambiguous-match' }] });
    expect(await read('twice.js')).toBe(`${block}\n${block}`);
  });

  it('reports a missing file, an existing target and a malformed diff', async () => {
    await write('here.txt', 'x\n');
    const result = await applyEdits(root, [
      { kind: 'search-replace', path: 'absent.txt', search: 'x', replace: 'y' },
      { kind: 'rename', from: 'here.txt', to: 'here.txt' },
      { kind: 'unified-diff', diff: 'this is not a diff' },
      { kind: 'delete', path: 'nothing.txt' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failures.map((failure) => [failure.editIndex, failure.reason])).toEqual([
      [0, 'file-missing'],
      [1, 'file-exists'],
      [2, 'malformed-diff'],
      [3, 'file-missing'],
    ]);
  });

  it('creates a file from an empty search block', async () => {
    const result = await applyEdits(root, [
      { kind: 'search-replace', path: 'fresh/new.md', search: '', replace: '# New\n' },
    ]);
    expect(result).toEqual({ ok: true, applied: [{ editIndex: 0, path: 'fresh/new.md', strategy: 'create' }] });
    expect(await read('fresh/new.md')).toBe('# New\n');
  });
});

describe('git path quoting', () => {
  it('applies a git diff whose path git quoted (non-ASCII bytes as octal escapes)', async () => {
    await write('café.txt', 'old\n');
    const diff = [
      'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"',
      'index 3367afd..3e75765 100644',
      '--- "a/caf\\303\\251.txt"',
      '+++ "b/caf\\303\\251.txt"',
      '@@ -1 +1 @@',
      '-old',
      '+new',
      '',
    ].join('\n');
    const result = await applyEdits(root, [{ kind: 'unified-diff', diff }]);
    expect(result).toEqual({ ok: true, applied: [{ editIndex: 0, path: 'café.txt', strategy: 'exact' }] });
    expect(await read('café.txt')).toBe('new\n');
  });
});

describe('diffs as models and mail write them', () => {
  it('repairs unprefixed context lines, stripped blank lines, a missing header position and trailing prose', async () => {
    await write('app.py', 'def main():\n    setup()\n\n    run()\n    return 0\n');
    const diff = [
      '--- a/app.py',
      '+++ b/app.py',
      '@@ @@',
      'def main():',
      '    setup()',
      '',
      '-    run()',
      '+    run(verbose=True)',
      '     return 0',
      '',
      'This change makes the run verbose.',
    ].join('\n');
    const result = await applyEdits(root, [{ kind: 'unified-diff', diff }]);
    expect(result.ok).toBe(true);
    expect(await read('app.py')).toBe('def main():\n    setup()\n\n    run(verbose=True)\n    return 0\n');
  });

  it('ignores the signature of git format-patch', async () => {
    await write('a.txt', 'one\ntwo\n');
    const diff =
      'From 1234 Mon Sep 17 00:00:00 2001\nSubject: [PATCH] two\n\n---\n a.txt | 2 +-\n\ndiff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n-- \n2.39.5\n\n';
    const result = await applyEdits(root, [{ kind: 'unified-diff', diff }]);
    expect(result.ok).toBe(true);
    expect(await read('a.txt')).toBe('one\nTWO\n');
  });
});
