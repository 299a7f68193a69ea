import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectMemoryStore, ResponseCacheStore } from '@orchestrator/spec';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresProjectMemoryStore } from '../budget/postgres-project-memory-store.ts';
import { SqliteProjectMemoryStore } from '../budget/sqlite-project-memory-store.ts';
import { PostgresResponseCacheStore } from './postgres-response-cache-store.ts';
import { SqliteResponseCacheStore } from './sqlite-response-cache-store.ts';

interface Backend {
  name: string;
  /** Two handles on the same database, as two processes (or two runs) would have. */
  openPair(): Promise<{
    caches: [ResponseCacheStore, ResponseCacheStore];
    memories: [ProjectMemoryStore, ProjectMemoryStore];
  }>;
}

const usage = { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

const backends: Backend[] = [
  {
    name: 'SQLite',
    async openPair() {
      const file = join(mkdtempSync(join(tmpdir(), 'response-cache-')), 'journal.sqlite');
      return {
        caches: [SqliteResponseCacheStore.open(file), SqliteResponseCacheStore.open(file)],
        memories: [SqliteProjectMemoryStore.open(file), SqliteProjectMemoryStore.open(file)],
      };
    },
  },
];

const databaseUrl = process.env.TEST_DATABASE_URL;
const schemas: string[] = [];
if (databaseUrl !== undefined && databaseUrl !== '') {
  const url = databaseUrl;
  backends.push({
    name: 'PostgreSQL',
    async openPair() {
      const schema = `cache_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return {
        caches: [
          await PostgresResponseCacheStore.connect(url, { schema }),
          await PostgresResponseCacheStore.connect(url, { schema }),
        ],
        memories: [
          await PostgresProjectMemoryStore.connect(url, { schema }),
          await PostgresProjectMemoryStore.connect(url, { schema }),
        ],
      };
    },
  });
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
} else if (process.env.CI === 'true') {
  it('runs the PostgreSQL response cache suite in CI', () => {
    throw new Error('TEST_DATABASE_URL is not set in CI: the PostgreSQL response cache suite must run there.');
  });
} else {
  console.warn('SKIPPED: PostgreSQL response cache and project memory — set TEST_DATABASE_URL to run them.');
}

for (const backend of backends) {
  describe(`response cache and project memory: ${backend.name}`, () => {
    it('serves a reply stored by one run to another, counting hits; the first reply stored wins', async () => {
      const { caches, memories } = await backend.openPair();
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
      const { caches, memories } = await backend.openPair();
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
