import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OrchestratorError } from '@orchestrator/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EditOverlay } from '../src/edit-overlay.ts';
import { temporaryDirectory } from './support/git-fixture.ts';

let scratch: { path: string; dispose: () => Promise<void> };
beforeEach(async () => {
  scratch = await temporaryDirectory('edit-overlay-');
});
afterEach(async () => {
  await scratch.dispose();
});

describe('EditOverlay.commit', () => {
  it('rolls back files already written when a later write fails, leaving no temporary files', async () => {
    const first = path.join(scratch.path, 'a.txt');
    const second = path.join(scratch.path, 'x.txt');
    await writeFile(first, 'original a\n');
    await writeFile(second, 'original x\n');
    const overlay = new EditOverlay();
    await overlay.read('a.txt', first);
    await overlay.read('x.txt', second);
    overlay.write('a.txt', { kind: 'file', bytes: Buffer.from('changed a\n'), mode: 0o644 });
    overlay.write('x.txt', { kind: 'file', bytes: Buffer.from('changed x\n'), mode: 0o644 });
    overlay.write('a.txt', { kind: 'file', bytes: Buffer.from('changed a twice\n'), mode: 0o644 });
    // Something replaces x.txt by a non-empty directory between planning and writing: its rename must fail.
    await rm(second);
    await mkdir(second);
    await writeFile(path.join(second, 'inner.txt'), 'inner\n');

    const error = await overlay.commit().catch((caught: unknown) => caught);
    expect(OrchestratorError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'edit-write-failed', actor: 'system' });
    expect(await readFile(first, 'utf8')).toBe('original a\n');
    expect((await readdir(scratch.path)).sort()).toEqual(['a.txt', 'x.txt']);
  });

  it('creates missing directories and removes them again on rollback', async () => {
    const blocked = path.join(scratch.path, 'blocked.txt');
    await writeFile(blocked, 'keep\n');
    const overlay = new EditOverlay();
    await overlay.read('deep/nested/new.txt', path.join(scratch.path, 'deep', 'nested', 'new.txt'));
    await overlay.read('blocked.txt', blocked);
    overlay.write('deep/nested/new.txt', { kind: 'file', bytes: Buffer.from('new\n'), mode: 0o644 });
    overlay.write('blocked.txt', { kind: 'absent' });
    await rm(blocked);
    await mkdir(blocked);
    await writeFile(path.join(blocked, 'inside'), 'x');

    await expect(overlay.commit()).rejects.toMatchObject({ code: 'edit-write-failed' });
    expect((await readdir(scratch.path)).sort()).toEqual(['blocked.txt']);
  });
});
