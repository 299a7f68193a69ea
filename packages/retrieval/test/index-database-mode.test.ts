import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexDatabase } from '../src/store/index-database.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

let previousUmask = 0;
beforeEach(() => {
  // The usual umask: without the explicit modes the files would come out 0644 and the directories 0755.
  previousUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(previousUmask);
});

describe('the repository index is private', () => {
  it('is created user-only (0600, -wal and -shm too) in a user-only directory (0700), and so is its copy', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'index-mode-'));
    const file = join(dataDir, 'index', 'main.sqlite');
    const database = new IndexDatabase(file);
    expect(modeOf(join(file, '..'))).toBe('700');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(path), path).toBe('600');
    const copy = join(dataDir, 'worktree-index', 'run.sqlite');
    database.copyTo(copy);
    database.close();
    expect(modeOf(copy)).toBe('600');
    expect(modeOf(join(copy, '..'))).toBe('700');
    new IndexDatabase(copy).close();
  });

  it('tightens an index file an earlier version left world-readable', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'index-mode-')), 'old.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    new IndexDatabase(file).close();
    expect(modeOf(file)).toBe('600');
  });
});
