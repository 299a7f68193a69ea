import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdits } from '../src/apply-edits.ts';
import type { MatchStrategy } from '../src/hunk-application.ts';
import { type DiffCase, type PerturbedCase, perturb, perturbations } from './support/diff-perturbations.ts';
import { temporaryDirectory } from './support/git-fixture.ts';

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

async function apply(testCase: PerturbedCase, maxStrategy: MatchStrategy) {
  const root = path.join(scratch.path, String(counter++));
  const file = path.join(root, testCase.path);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, testCase.fileContent);
  const result = await applyEdits(root, [{ kind: 'unified-diff', diff: testCase.diff }], { maxStrategy });
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
