import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCitations } from '@orchestrator/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositoryIndex } from '../src/repository-index.ts';
import { retrievalContextProvider } from '../src/retrieval-context-provider.ts';
import { fixtureRepository } from './fixture-repository.ts';

let cleanup: () => void = () => {};
afterEach(() => cleanup());

describe('retrievalContextProvider', () => {
  it('gives a turn the repo map and numbered chunks whose ids its citations are checked against, seeing new edits', async () => {
    const repository = fixtureRepository({
      'src/auth.ts': 'export function verifyLogin(hash: string, attempt: string) {\n  return hash === attempt;\n}\n',
      'src/server.ts': "import { verifyLogin } from './auth.ts';\nexport const handle = () => verifyLogin('a', 'b');\n",
      'docs/policy.md': '# Policy\n\n## Logins\n\nLogins are rate limited.\n',
    });
    const index = RepositoryIndex.open({ root: repository.root, databasePath: join(repository.root, '.index.sqlite') });
    cleanup = () => {
      index.close();
      repository.remove();
    };
    const provide = retrievalContextProvider(index, { k: 3, mapTokens: 100 });

    const sections = await provide({ task: 'rate limit verifyLogin per policy', plannedFiles: ['src/auth.ts'] });
    expect(sections[0]?.title).toBe('Repository map (ranked definitions)');
    expect(sections[0]?.text).toContain('src/auth.ts:\n  1│ export function verifyLogin');
    const ranked = sections.find((section) => section.title.startsWith('Files ranked for this task'));
    expect(ranked?.text.split('\n')[0]).toMatch(/^1\. src\/auth\.ts \(.*defines verifyLogin/);
    const auth = sections.find((section) => section.chunkId?.startsWith('src/auth.ts:1-3#'));
    expect(auth?.text).toContain('1│ export function verifyLogin(hash: string, attempt: string) {');
    const ids = sections.flatMap((section) => (section.chunkId === undefined ? [] : [section.chunkId]));
    expect(ids.some((id) => id.startsWith('docs/policy.md:'))).toBe(true);
    expect(checkCitations([{ chunkId: auth!.chunkId!, startLine: 2, endLine: 2 }], ids)).toEqual([]);

    writeFileSync(
      join(repository.root, 'src/auth.ts'),
      'export function verifyLogin() {\n  return rateLimited();\n}\n',
    );
    const next = await provide({ task: 'rate limit verifyLogin per policy', plannedFiles: ['src/auth.ts'] });
    const updated = next.find((section) => section.chunkId?.startsWith('src/auth.ts:'));
    expect(updated?.text).toContain('rateLimited()');
    expect(
      checkCitations(
        [{ chunkId: auth!.chunkId! }],
        next.map((section) => section.chunkId ?? ''),
      )[0]?.reason,
    ).toBe('not-retrieved');
  });
});
