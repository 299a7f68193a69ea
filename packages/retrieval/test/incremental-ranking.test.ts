import { rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RepositoryIndex } from '../src/repository-index.ts';
import { fixtureRepository, writeFiles } from './fixture-repository.ts';

// Property: after any sequence of edits, additions and deletions followed by incremental updates, every query ranks
// exactly like a fresh index of the same tree (same chunks, same scores). A contentless FTS5 table with
// `contentless_delete=1` fails this: its row and token counts only grow, so BM25 scores drift.

const words = ['parse', 'token', 'session', 'password', 'cache', 'render', 'route', 'config', 'merge', 'limit'];
const queries = ['parse token', 'session password cache', 'render route', 'config merge limit', 'tokenCache'];

const functionArbitrary = fc
  .tuple(fc.constantFrom(...words), fc.constantFrom(...words), fc.array(fc.constantFrom(...words), { maxLength: 12 }))
  .map(([first, second, body]) => {
    const name = `${first}${second[0]!.toUpperCase()}${second.slice(1)}`;
    return `export function ${name}(): string {\n  return '${body.join(' ')}';\n}\n`;
  });
const fileArbitrary = fc.array(functionArbitrary, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('\n'));
const pathArbitrary = fc.constantFrom('src/a.ts', 'src/b.ts', 'src/c.ts', 'lib/d.ts', 'lib/e.ts', 'docs/notes.md');
const stepArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), path: pathArbitrary, content: fileArbitrary }),
  fc.record({ kind: fc.constant('delete' as const), path: pathArbitrary }),
  fc.constant({ kind: 'update' as const }),
);

function ranking(index: RepositoryIndex): string[] {
  return queries.map((query) =>
    index
      .search(query, { k: 50 })
      .map((chunk) => `${chunk.id} ${chunk.score}`)
      .join('\n'),
  );
}

describe('incremental updates', () => {
  it('rank every query exactly like a fresh index of the same tree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(pathArbitrary, fileArbitrary, { minKeys: 2 }),
        fc.array(stepArbitrary, { minLength: 1, maxLength: 12 }),
        async (initial, steps) => {
          const repository = fixtureRepository(initial);
          const live = RepositoryIndex.open({ root: repository.root, databasePath: join(repository.root, '.live.db') });
          let clock = 1_700_000_000;
          try {
            await live.update();
            for (const step of steps) {
              if (step.kind === 'write') {
                writeFiles(repository.root, { [step.path]: step.content });
                // A same-size rewrite within the clock's resolution would look unchanged to the walk: step the mtime.
                clock += 10;
                utimesSync(join(repository.root, step.path), clock, clock);
              } else if (step.kind === 'delete') rmSync(join(repository.root, step.path), { force: true });
              else await live.update();
            }
            await live.update();
            const freshPath = join(repository.root, '.fresh.db');
            const fresh = RepositoryIndex.open({ root: repository.root, databasePath: freshPath });
            try {
              await fresh.update();
              expect(live.counts()).toEqual(fresh.counts());
              expect(ranking(live)).toEqual(ranking(fresh));
            } finally {
              fresh.close();
            }
          } finally {
            live.close();
            repository.remove();
          }
        },
      ),
      { numRuns: 25, seed: 27 },
    );
  });

  it('scores a rewritten file like a fresh index does', async () => {
    const files = { 'src/a.ts': 'export function parseToken() { return 1; }\n', 'src/b.ts': 'export const x = 1;\n' };
    const repository = fixtureRepository(files);
    const live = RepositoryIndex.open({ root: repository.root, databasePath: join(repository.root, '.live.db') });
    try {
      await live.update();
      for (let round = 0; round < 5; round += 1) {
        writeFileSync(join(repository.root, 'src/a.ts'), `export function parseToken() { return ${round}0000; }\n`);
        utimesSync(join(repository.root, 'src/a.ts'), 1_700_000_000 + round, 1_700_000_000 + round);
        await live.update();
      }
      const fresh = RepositoryIndex.open({ root: repository.root, databasePath: join(repository.root, '.fresh.db') });
      try {
        await fresh.update();
        expect(live.search('parse token', { k: 3 })).toEqual(fresh.search('parse token', { k: 3 }));
        expect(live.search('parse token', { k: 3 })).toHaveLength(1);
      } finally {
        fresh.close();
      }
    } finally {
      live.close();
      repository.remove();
    }
  });
});
