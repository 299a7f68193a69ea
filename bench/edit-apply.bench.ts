// Edit application on perturbed real diffs: success rate per strategy of @orchestrator/git's applyEdits versus
// `git apply` and `git apply --3way` on the same inputs. Prints a table; never asserts.
//
// Corpus: modifications from this repository's own git history, real upstream changes between two installed
// versions of the same package in node_modules, and generated multi-hunk edits of installed packages' sources.
// Each diff is applied as is and under perturbations: file drift above the hunks, wrong hunk line numbers,
// miscounted hunk headers, uniformly shifted indentation, whitespace noise in context lines, an edited or inserted
// context line (a concurrent change), and a combination.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyEdits, type MatchStrategy } from '../packages/git/src/index.ts';
import {
  type Perturbation,
  type PerturbedCase,
  perturb,
  perturbations,
} from '../packages/git/test/support/diff-perturbations.ts';
import {
  collectGeneratedCases,
  collectHistoryCases,
  collectPackageVersionCases,
} from '../packages/git/test/support/real-diff-corpus.ts';
import { searchReplaceEdits } from '../packages/git/test/support/search-replace-cases.ts';

const repositoryRoot = path.resolve(import.meta.dirname, '..');
const nodeModules = path.join(repositoryRoot, 'node_modules');
const limit = Number(process.env.EDIT_BENCH_CASES_PER_SOURCE ?? 60);

type Outcome = 'success' | 'wrong' | 'refused';
const allMethods = ['exact', 'whitespace-tolerant', 'anchored-fuzzy', 'git apply', 'git apply --3way'] as const;
type Method = (typeof allMethods)[number];
// EDIT_BENCH_SKIP_GIT=1 measures only applyEdits (quick iterations).
const methods = allMethods.filter((method) => process.env.EDIT_BENCH_SKIP_GIT !== '1' || !method.startsWith('git'));

function git(cwd: string, args: string[]): { ok: boolean } {
  try {
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
      cwd,
      stdio: 'ignore',
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    });
    return { ok: true };
  } catch {
    return { ok: false };
  }
}

function writeFileDeep(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

async function runOurs(
  testCase: PerturbedCase,
  maxStrategy: MatchStrategy,
  form: 'unified-diff' | 'search-replace' = 'unified-diff',
): Promise<{ outcome: Outcome; strategy?: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'edit-bench-'));
  try {
    writeFileDeep(path.join(root, testCase.path), testCase.fileContent);
    const edits =
      form === 'unified-diff'
        ? [{ kind: 'unified-diff' as const, diff: testCase.diff }]
        : searchReplaceEdits(testCase.path, testCase.diff);
    const result = await applyEdits(root, edits, { maxStrategy });
    if (!result.ok) return { outcome: 'refused' };
    const content = readFileSync(path.join(root, testCase.path), 'utf8');
    return {
      outcome: content === testCase.expected ? 'success' : 'wrong',
      strategy: result.applied[0]?.strategy ?? 'exact',
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function runGitApply(testCase: PerturbedCase, threeWay: boolean): Outcome {
  const root = mkdtempSync(path.join(tmpdir(), 'edit-bench-git-'));
  try {
    git(root, ['init', '--quiet']);
    const baseBlob = path.join(root, '.base-blob');
    writeFileSync(baseBlob, testCase.baseContent);
    git(root, ['hash-object', '-w', '.base-blob']);
    rmSync(baseBlob);
    writeFileDeep(path.join(root, testCase.path), testCase.fileContent);
    git(root, ['add', '--', testCase.path]);
    const patchFile = path.join(root, '.patch');
    writeFileSync(patchFile, testCase.diff);
    const applied = git(root, ['apply', '--whitespace=nowarn', ...(threeWay ? ['--3way'] : []), '.patch']);
    if (!applied.ok) return 'refused';
    return readFileSync(path.join(root, testCase.path), 'utf8') === testCase.expected ? 'success' : 'wrong';
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const started = performance.now();
const corpus = [
  ...collectHistoryCases(repositoryRoot, limit),
  ...collectPackageVersionCases(nodeModules, limit),
  ...collectGeneratedCases(nodeModules, ['diff', 'commander', 'zod', 'simple-git', 'yaml', 'kysely', 'vitest'], limit),
];
const sources = {
  history: corpus.filter((entry) => entry.source.startsWith('history')).length,
  packageVersions: corpus.filter((entry) => entry.source.includes('->')).length,
  generated: corpus.filter((entry) => entry.source.startsWith('generated')).length,
};
console.log(
  `corpus: ${corpus.length} real single-file diffs (${sources.history} from this repository's history, ` +
    `${sources.packageVersions} between installed package versions, ${sources.generated} generated on package sources)`,
);

type Tally = Record<Outcome, number>;
const table = new Map<Perturbation, Map<Method, Tally>>();
const strategiesUsed = new Map<string, number>();
const wrongExamples: string[] = [];
let inputs = 0;
for (const perturbation of perturbations) {
  const row = new Map<Method, Tally>(methods.map((method) => [method, { success: 0, wrong: 0, refused: 0 }]));
  table.set(perturbation, row);
  for (const entry of corpus) {
    const testCase = perturb(entry, perturbation);
    if (testCase === undefined) continue;
    inputs++;
    for (const method of methods) {
      let outcome: Outcome;
      if (method === 'git apply') outcome = runGitApply(testCase, false);
      else if (method === 'git apply --3way') outcome = runGitApply(testCase, true);
      else {
        const result = await runOurs(testCase, method);
        outcome = result.outcome;
        if (method === 'anchored-fuzzy' && result.strategy !== undefined) {
          strategiesUsed.set(result.strategy, (strategiesUsed.get(result.strategy) ?? 0) + 1);
        }
        if (outcome === 'wrong' && wrongExamples.length < 5)
          wrongExamples.push(`${method} ${perturbation} ${entry.path}`);
      }
      row.get(method)![outcome]++;
    }
  }
}

const percent = (part: number, whole: number) =>
  whole === 0 ? '   -' : `${((100 * part) / whole).toFixed(1)}%`.padStart(6);
const header = ['perturbation'.padEnd(22), 'cases', ...methods.map((method) => method.padStart(17))].join(' ');
console.log(
  `\nsuccess rate (result byte-identical to the expected file); "wrong" = applied but produced different content\n`,
);
console.log(header);
const totals = new Map<Method, Tally>(methods.map((method) => [method, { success: 0, wrong: 0, refused: 0 }]));
let totalCases = 0;
for (const [perturbation, row] of table) {
  const cases = [...row.values()][0]!;
  const count = cases.success + cases.wrong + cases.refused;
  totalCases += count;
  const cells = methods.map((method) => {
    const tally = row.get(method)!;
    const total = totals.get(method)!;
    total.success += tally.success;
    total.wrong += tally.wrong;
    total.refused += tally.refused;
    return `${percent(tally.success, count)}${tally.wrong > 0 ? ` (${tally.wrong} wrong)` : ''}`.padStart(17);
  });
  console.log([perturbation.padEnd(22), String(count).padStart(5), ...cells].join(' '));
}
console.log(
  [
    'all'.padEnd(22),
    String(totalCases).padStart(5),
    ...methods.map((method) => {
      const tally = totals.get(method)!;
      return `${percent(tally.success, totalCases)}${tally.wrong > 0 ? ` (${tally.wrong} wrong)` : ''}`.padStart(17);
    }),
  ].join(' '),
);
// The same hunks as search/replace blocks (old side → new side, no line numbers), the Builder's preferred form.
const blockStrategies: MatchStrategy[] = ['exact', 'whitespace-tolerant', 'anchored-fuzzy'];
console.log(
  '\nsearch/replace blocks made from the same hunks (one block per hunk, no line numbers), applyEdits only\n',
);
console.log(
  ['perturbation'.padEnd(22), 'cases', ...blockStrategies.map((strategy) => strategy.padStart(19))].join(' '),
);
const blockTotals = blockStrategies.map(() => ({ success: 0, wrong: 0 }));
let blockCases = 0;
for (const perturbation of perturbations.filter((name) => !name.includes('header'))) {
  const tallies = blockStrategies.map(() => ({ success: 0, wrong: 0 }));
  let count = 0;
  for (const entry of corpus) {
    const testCase = perturb(entry, perturbation);
    if (testCase === undefined) continue;
    count++;
    for (const [index, strategy] of blockStrategies.entries()) {
      const { outcome } = await runOurs(testCase, strategy, 'search-replace');
      if (outcome !== 'refused') tallies[index]![outcome]++;
    }
  }
  blockCases += count;
  const cells = tallies.map((tally, index) => {
    blockTotals[index]!.success += tally.success;
    blockTotals[index]!.wrong += tally.wrong;
    return `${percent(tally.success, count)}${tally.wrong > 0 ? ` (${tally.wrong} wrong)` : ''}`.padStart(19);
  });
  console.log([perturbation.padEnd(22), String(count).padStart(5), ...cells].join(' '));
}
console.log(
  [
    'all'.padEnd(22),
    String(blockCases).padStart(5),
    ...blockTotals.map((tally) =>
      `${percent(tally.success, blockCases)}${tally.wrong > 0 ? ` (${tally.wrong} wrong)` : ''}`.padStart(19),
    ),
  ].join(' '),
);

console.log(
  `\nstrategy that applied each diff with the full ladder: ${[...strategiesUsed].map(([name, count]) => `${name} ${count}`).join(', ')}`,
);
if (wrongExamples.length > 0) console.log(`examples of wrong applications: ${wrongExamples.join('; ')}`);
console.log(`${inputs} inputs × ${methods.length} methods in ${((performance.now() - started) / 1000).toFixed(1)} s`);
