import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PullRequestDatabase } from '../src/local/pull-request-database.ts';
import { temporaryDirectory } from './sandbox-repository.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

let previousUmask = 0;
beforeEach(() => {
  // The usual umask: without the explicit modes the files would come out 0644 and the directory 0755.
  previousUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(previousUmask);
});

function open(file: string): PullRequestDatabase {
  return new PullRequestDatabase({ file, repository: 'demo', url: (number) => `local://demo/pull/${number}` });
}

describe('the local forge database is private', () => {
  it('is created user-only (0600, -wal and -shm too) in a user-only directory (0700)', () => {
    const file = join(temporaryDirectory('mode'), 'forge', 'pull-requests.sqlite');
    const database = open(file);
    database.insert({ title: 'Add LICENSE', body: 'body', base: 'main', head: 'feature', diff: '' });
    expect(modeOf(join(file, '..'))).toBe('700');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect(modeOf(path), path).toBe('600');
    database.close();
  });

  it('tightens a database file an earlier version left world-readable', () => {
    const directory = join(temporaryDirectory('mode'), 'forge');
    mkdirSync(directory);
    const file = join(directory, 'pull-requests.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    open(file).close();
    expect(modeOf(file)).toBe('600');
  });
});
