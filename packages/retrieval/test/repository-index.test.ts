import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositoryIndex } from '../src/repository-index.ts';
import { fixtureRepository, writeFiles } from './fixture-repository.ts';

const sources = {
  '.gitignore': 'ignored/\n',
  'src/auth.ts': [
    "import { hashPassword } from './crypto.ts';",
    '',
    'export function verifyPassword(stored: string, attempt: string): boolean {',
    '  return stored === hashPassword(attempt);',
    '}',
    '',
    'export function issueSessionToken(userId: string): string {',
    "  return 'session-' + userId;",
    '}',
  ].join('\n'),
  'src/crypto.ts':
    'export function hashPassword(input: string): string {\n  return input.split("").reverse().join("");\n}\n',
  'src/routes.ts':
    "import { verifyPassword, issueSessionToken } from './auth.ts';\nexport function loginRoute(body: { password: string }) {\n  return verifyPassword('x', body.password) ? issueSessionToken('u') : null;\n}\n",
  'docs/security-policy.md': '# Security policy\n\n## Passwords\n\nPasswords must be hashed with a salt.\n',
  'ignored/leak.ts': 'export function verifyPasswordLeak() {}\n',
};

let cleanup: () => void = () => {};
afterEach(() => cleanup());

function openIndex(files: Record<string, string> = sources) {
  const repository = fixtureRepository(files);
  const index = RepositoryIndex.open({ root: repository.root, databasePath: join(repository.root, '.index.sqlite') });
  cleanup = () => {
    index.close();
    repository.remove();
  };
  return { root: repository.root, index };
}

describe('RepositoryIndex', () => {
  it('indexes the repository and finds chunks by words, camelCase parts, symbols and paths', async () => {
    const { index } = openIndex();
    const result = await index.update();
    expect(result.filesIndexed).toBe(5);
    expect(index.search('verifyPassword', { k: 1 })[0]?.symbol).toBe('verifyPassword');
    expect(index.search('session token', { k: 1 })[0]?.symbol).toBe('issueSessionToken');
    expect(index.search('security policy salt', { k: 1 })[0]?.path).toBe('docs/security-policy.md');
    const hits = index.search('verify password', { k: 10 });
    expect(hits.some((chunk) => chunk.path.startsWith('ignored/'))).toBe(false);
    expect(index.search('the of', { k: 3 })).toEqual([]);
    expect(index.search('hash', { k: 5, pathPrefixes: ['src/crypto'] }).map((chunk) => chunk.path)).toEqual([
      'src/crypto.ts',
    ]);
  });

  it('re-indexes only changed files, keeps ids of untouched chunks and drops deleted files', async () => {
    const { root, index } = openIndex();
    await index.update();
    const before = index.search('issueSessionToken', { k: 1 })[0]!;
    const verifyBefore = index.search('verifyPassword', { k: 1 })[0]!;

    const unchanged = await index.update();
    expect(unchanged).toMatchObject({ filesIndexed: 0, filesUnchanged: 5, filesRemoved: 0 });

    // Same content, new modification time: hashed, found unchanged, not re-chunked.
    utimesSync(join(root, 'src/crypto.ts'), new Date(), new Date(Date.now() + 5000));
    expect(await index.update()).toMatchObject({ filesIndexed: 0, filesUnchanged: 5 });

    const edited = sources['src/auth.ts'].replace('return stored === hashPassword(attempt);', 'return false;');
    writeFileSync(join(root, 'src/auth.ts'), edited);
    rmSync(join(root, 'docs/security-policy.md'));
    const changed = await index.update();
    expect(changed).toMatchObject({ filesIndexed: 1, filesUnchanged: 3, filesRemoved: 1 });
    expect(index.search('issueSessionToken', { k: 1 })[0]?.id).toBe(before.id);
    const verifyAfter = index.search('verifyPassword', { k: 1 })[0]!;
    expect(verifyAfter.id).not.toBe(verifyBefore.id);
    expect(verifyAfter.text).toContain('return false;');
    expect(index.search('salt', { k: 3 })).toEqual([]);
  });

  it('seeds a new index (a run worktree) from an existing one, re-chunking only the files that differ', async () => {
    const { root, index } = openIndex();
    await index.update();
    const worktree = fixtureRepository({ ...sources, 'src/crypto.ts': 'export function hashPassword() {}\n' });
    const seeded = RepositoryIndex.open({
      root: worktree.root,
      databasePath: join(worktree.root, '.worktree-index.sqlite'),
      seedFrom: join(root, '.index.sqlite'),
    });
    try {
      const result = await seeded.update();
      expect(result).toMatchObject({ filesIndexed: 1, filesUnchanged: 4 });
      expect(seeded.search('issueSessionToken', { k: 1 })[0]?.id).toBe(
        index.search('issueSessionToken', { k: 1 })[0]?.id,
      );
    } finally {
      seeded.close();
      worktree.remove();
    }
  });

  it('chunks on worker threads with the same result as on the calling thread', async () => {
    const { root, index } = openIndex();
    await index.update();
    const threaded = RepositoryIndex.open({ root, databasePath: join(root, '.threaded.sqlite'), workers: 2 });
    try {
      const result = await threaded.update();
      expect(result.filesIndexed).toBe(5);
      const ids = (target: RepositoryIndex) =>
        target.database.database
          .prepare('SELECT id FROM chunks ORDER BY id')
          .all()
          .map((row) => row.id);
      expect(ids(threaded)).toEqual(ids(index));
      expect(threaded.definitionsOf('hashPassword')).toEqual(index.definitionsOf('hashPassword'));
    } finally {
      threaded.close();
    }
  });

  it('keeps a symbol table and ranks the most referenced definitions first in the repo map', async () => {
    const { root, index } = openIndex();
    writeFiles(root, {
      'src/admin.ts': "import { hashPassword } from './crypto.ts';\nexport const reset = () => hashPassword('x');\n",
    });
    await index.update();
    expect(index.definitionsOf('hashPassword').map((definition) => [definition.path, definition.line])).toEqual([
      ['src/crypto.ts', 1],
    ]);
    const map = index.repoMap({ tokens: 2000 });
    expect(map.files[0]?.path).toBe('src/crypto.ts');
    expect(map.text).toContain('src/crypto.ts:\n  1│ export function hashPassword(input: string): string {');
    const small = index.repoMap({ tokens: 30 });
    expect(small.tokens).toBeLessThanOrEqual(30);
    expect(small.files.map((file) => file.path)).toEqual(['src/crypto.ts']);
  });
});
