import type { ProjectMemoryStore, ResponseCacheStore } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { type StoreBackend, storeBackends } from '../database/test-support/store-backends.ts';

const usage = { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

/** Two handles on the same database, as two processes (or two runs) would have. */
async function openPair(backend: StoreBackend): Promise<{
  caches: [ResponseCacheStore, ResponseCacheStore];
  memories: [ProjectMemoryStore, ProjectMemoryStore];
}> {
  const database = backend.fresh();
  return {
    caches: [await database.responseCache(), await database.responseCache()],
    memories: [await database.projectMemory(), await database.projectMemory()],
  };
}

for (const backend of storeBackends('response cache and project memory')) {
  describe(`response cache and project memory: ${backend.name}`, () => {
    it('serves a reply stored by one run to another, counting hits; the first reply stored wins', async () => {
      const { caches, memories } = await openPair(backend);
      const [writer, reader] = caches;
      try {
        expect(await reader.get('a'.repeat(64))).toBeUndefined();
        await writer.put('a'.repeat(64), '{"text":"first"}', usage);
        await writer.put('a'.repeat(64), '{"text":"second"}', usage);
        const hit = await reader.get('a'.repeat(64));
        expect(hit).toMatchObject({ response: '{"text":"first"}', usage, hits: 1 });
        expect((await writer.get('a'.repeat(64)))?.hits).toBe(2);
      } finally {
        for (const store of [...caches, ...memories]) await store.close();
      }
    });

    it('keeps project notes per repository across runs; rewriting a key replaces the note', async () => {
      const { caches, memories } = await openPair(backend);
      const [firstRun, laterRun] = memories;
      try {
        await firstRun.putNote({ repositoryKey: 'repo-1', key: 'test-command', text: 'npm tset', runId: 'r-1' });
        await firstRun.putNote({ repositoryKey: 'repo-1', key: 'style', text: 'tabs', runId: 'r-1' });
        await firstRun.putNote({ repositoryKey: 'repo-2', key: 'style', text: 'spaces', runId: 'r-1' });
        await laterRun.putNote({ repositoryKey: 'repo-1', key: 'test-command', text: 'npm test', runId: 'r-2' });
        const notes = await laterRun.listNotes('repo-1');
        expect(notes.map((note) => [note.key, note.text, note.runId])).toEqual([
          ['style', 'tabs', 'r-1'],
          ['test-command', 'npm test', 'r-2'],
        ]);
        expect(await firstRun.deleteNote('repo-1', 'style')).toBe(true);
        expect(await firstRun.deleteNote('repo-1', 'style')).toBe(false);
        expect((await laterRun.listNotes('repo-1')).map((note) => note.key)).toEqual(['test-command']);
      } finally {
        for (const store of [...caches, ...memories]) await store.close();
      }
    });
  });
}
