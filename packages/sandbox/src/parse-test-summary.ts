import type { TestFramework, TestSummary } from '@orchestrator/spec';

type Counts = { passed: number; failed: number; skipped: number };
type Parser = (output: string) => Counts | undefined;

function lastNumber(output: string, pattern: RegExp): number | undefined {
  const matches = [...output.matchAll(pattern)];
  const last = matches.at(-1);
  return last?.[1] === undefined ? undefined : Number(last[1]);
}

function countOf(text: string, word: RegExp): number {
  const match = text.match(new RegExp(`(\\d+) ${word.source}`));
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

/** node:test, spec reporter (`ℹ pass 2`) or TAP (`# pass 2`). */
const nodeTest: Parser = (output) => {
  const passed = lastNumber(output, /^(?:ℹ|#) pass (\d+)$/gm);
  const failed = lastNumber(output, /^(?:ℹ|#) fail (\d+)$/gm);
  if (passed === undefined || failed === undefined) return undefined;
  const skipped =
    (lastNumber(output, /^(?:ℹ|#) skipped (\d+)$/gm) ?? 0) + (lastNumber(output, /^(?:ℹ|#) todo (\d+)$/gm) ?? 0);
  const cancelled = lastNumber(output, /^(?:ℹ|#) cancelled (\d+)$/gm) ?? 0;
  return { passed, failed: failed + cancelled, skipped };
};

/** vitest: ` Tests  1 failed | 2 passed | 1 skipped (4)`. */
const vitest: Parser = (output) => {
  const line = [...output.matchAll(/^\s*Tests\s+(.*\(\d+\))\s*$/gm)].at(-1)?.[1];
  if (line === undefined) return undefined;
  return {
    passed: countOf(line, /passed/),
    failed: countOf(line, /failed/),
    skipped: countOf(line, /skipped/) + countOf(line, /todo/),
  };
};

/** jest: `Tests:       1 failed, 2 passed, 3 total`. */
const jest: Parser = (output) => {
  const line = [...output.matchAll(/^Tests:\s+(.*\d+ total)\s*$/gm)].at(-1)?.[1];
  if (line === undefined) return undefined;
  return {
    passed: countOf(line, /passed/),
    failed: countOf(line, /failed/),
    skipped: countOf(line, /skipped/) + countOf(line, /todo/),
  };
};

/** pytest: `1 failed, 2 passed, 1 skipped in 0.12s` (with or without the `====` frame); errors count as failures. */
const pytest: Parser = (output) => {
  const line = [...output.matchAll(/^=*\s*((?:\d+ \w+(?:, )?)+) in [\d.]+s\b.*$/gm)].at(-1)?.[1];
  if (line === undefined) return undefined;
  return {
    passed: countOf(line, /passed/),
    failed: countOf(line, /failed/) + countOf(line, /errors?/),
    skipped: countOf(line, /skipped/) + countOf(line, /xfailed/) + countOf(line, /deselected/),
  };
};

/** go test: `--- PASS: / --- FAIL: / --- SKIP:` lines (-v), or `ok`/`FAIL` package lines. */
const goTest: Parser = (output) => {
  const passed = output.match(/^\s*--- PASS: /gm)?.length ?? 0;
  const failed = output.match(/^\s*--- FAIL: /gm)?.length ?? 0;
  const skipped = output.match(/^\s*--- SKIP: /gm)?.length ?? 0;
  if (passed + failed + skipped > 0) return { passed, failed, skipped };
  const packagesOk = output.match(/^ok\s+\S+/gm)?.length ?? 0;
  const packagesFailed = output.match(/^FAIL\s+\S+/gm)?.length ?? 0;
  if (packagesOk + packagesFailed === 0) return undefined;
  return { passed: packagesOk, failed: packagesFailed, skipped: 0 };
};

/** cargo test: one `test result: ok. 2 passed; 1 failed; 0 ignored; …` line per target, summed. */
const cargoTest: Parser = (output) => {
  const lines = [...output.matchAll(/^test result: \w+\. (.*)$/gm)];
  if (lines.length === 0) return undefined;
  const sum: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const [, line = ''] of lines) {
    sum.passed += countOf(line, /passed/);
    sum.failed += countOf(line, /failed/);
    sum.skipped += countOf(line, /ignored/);
  }
  return sum;
};

const parsers: Array<[TestFramework, Parser]> = [
  ['node-test', nodeTest],
  ['vitest', vitest],
  ['jest', jest],
  ['pytest', pytest],
  ['cargo-test', cargoTest],
  ['go-test', goTest],
];

/**
 * Parses pass/fail counts from a runner's output: the hinted framework's format first, then every known format (a
 * `make test` or `npm test` may wrap any runner). Returns null when no format matched.
 */
export function parseTestSummary(output: string, hint: TestFramework = 'unknown'): TestSummary | null {
  const ordered = [...parsers.filter(([name]) => name === hint), ...parsers.filter(([name]) => name !== hint)];
  for (const [framework, parse] of ordered) {
    const counts = parse(output);
    if (counts) return { framework, ...counts, total: counts.passed + counts.failed + counts.skipped };
  }
  return null;
}
