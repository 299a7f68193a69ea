import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdits } from '../src/apply-edits.ts';
import type { MatchStrategy } from '../src/hunk-application.ts';
import { type DiffCase, type PerturbedCase, perturb, perturbations } from './support/diff-perturbations.ts';
import { temporaryDirectory } from './support/git-fixture.ts';
import { searchReplaceEdits } from './support/search-replace-cases.ts';

// Real diffs: modifications from this repository's history, upstream changes between installed package versions, and
// generated edits of installed packages' sources (regenerate with fixtures/build-real-diffs.ts).
const corpus = JSON.parse(
  await readFile(path.join(import.meta.dirname, 'fixtures', 'real-diffs.json'), 'utf8'),
) as DiffCase[];

let scratch: { path: string; dispose: () => Promise<void> };
let counter = 0;
beforeAll(async () => {
  scratch = await temporaryDirectory('real-diffs-');
});
afterAll(async () => {
  await scratch.dispose();
});

async function apply(testCase: PerturbedCase, maxStrategy: MatchStrategy, form: 'diff' | 'blocks' = 'diff') {
  const root = path.join(scratch.path, String(counter++));
  const file = path.join(root, testCase.path);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, testCase.fileContent);
  const edits =
    form === 'diff'
      ? [{ kind: 'unified-diff' as const, diff: testCase.diff }]
      : searchReplaceEdits(testCase.path, testCase.diff);
  const result = await applyEdits(root, edits, { maxStrategy });
  return { result, content: await readFile(file, 'utf8') };
}

describe('real diffs under perturbation', () => {
  it('has a corpus of real diffs from three sources', () => {
    expect(corpus.filter((entry) => entry.source.startsWith('history')).length).toBeGreaterThanOrEqual(8);
    expect(corpus.filter((entry) => entry.source.includes('->')).length).toBeGreaterThanOrEqual(8);
    expect(corpus.filter((entry) => entry.source.startsWith('generated')).length).toBeGreaterThanOrEqual(8);
  });

  for (const perturbation of perturbations) {
    it(`applies every diff correctly with ${perturbation}`, async () => {
      const mismatches: string[] = [];
      let count = 0;
      for (const entry of corpus) {
        const testCase = perturb(entry, perturbation);
        if (testCase === undefined) continue;
        count++;
        const { result, content } = await apply(testCase, 'anchored-fuzzy');
        if (!result.ok) mismatches.push(`${entry.path}: refused (${result.failures[0]?.message})`);
        else if (content !== testCase.expected) mismatches.push(`${entry.path}: applied with a wrong result`);
      }
      expect(count).toBeGreaterThan(20);
      expect(mismatches).toEqual([]);
    });
  }

  for (const perturbation of ['none', 'indentation-shift', 'context-whitespace', 'context-drift-insert'] as const) {
    it(`applies the same hunks as search/replace blocks with ${perturbation}, never wrongly`, async () => {
      const wrong: string[] = [];
      let refused = 0;
      let count = 0;
      const occurrences = (text: string, search: string) => text.split(search).length - 1;
      for (const entry of corpus) {
        const testCase = perturb(entry, perturbation);
        if (testCase === undefined) continue;
        // A search block that occurs twice (before, or after an earlier block inserted a copy) is ambiguous by
        // nature: the contract replaces the first occurrence.
        const blocks = searchReplaceEdits(entry.path, entry.diff);
        const unique = blocks.every(
          (block) =>
            block.kind === 'search-replace' &&
            occurrences(entry.before, block.search) <= 1 &&
            occurrences(entry.after, block.search) <= 1,
        );
        if (!unique) continue;
        count++;
        const { result, content } = await apply(testCase, 'anchored-fuzzy', 'blocks');
        if (!result.ok) refused++;
        else if (content !== testCase.expected) wrong.push(entry.path);
      }
      expect(count).toBeGreaterThan(20);
      expect(wrong).toEqual([]);
      expect(refused / count).toBeLessThanOrEqual(0.05);
    });
  }

  it('needs the looser strategies for what they are for: exact refuses drifted context instead of guessing', async () => {
    for (const entry of corpus.slice(0, 10)) {
      const drifted = perturb(entry, 'context-drift-edit');
      if (drifted === undefined) continue;
      const { result, content } = await apply(drifted, 'exact');
      expect(result.ok).toBe(false);
      expect(content).toBe(drifted.fileContent);
      if (result.ok) continue;
      expect(result.failures[0]?.hunk).toBeGreaterThanOrEqual(1);
      expect(result.failures[0]?.firstDivergingLine?.actual).toContain('/* drifted */');
    }
  });
});
