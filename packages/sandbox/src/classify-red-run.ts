import { basename, extname } from 'node:path';
import type { RedRunClassification, RedRunKind, RedRunTarget, TestFramework, TestRunResult } from '@orchestrator/spec';

interface Rule {
  kind: RedRunKind;
  pattern: RegExp;
  /** The capture group naming the missing module or symbol, if any. */
  names?: 'module' | 'symbol';
}

const javascriptRules: Rule[] = [
  { kind: 'syntax-error', pattern: /^.*\bSyntaxError\b.*$/m },
  {
    kind: 'missing-module',
    pattern:
      /^.*(?:Cannot find (?:module|package) '([^']+)'|Failed to (?:load url|resolve import) "?([^"\s]+)"?|Cannot find module "([^"]+)").*$/m,
    names: 'module',
  },
  { kind: 'missing-module', pattern: /^.*does not provide an export named '([^']+)'.*$/m, names: 'symbol' },
  { kind: 'unknown', pattern: /^.*\b(\w+) is not (?:a function|defined)\b.*$/m, names: 'symbol' },
  {
    kind: 'assertion',
    pattern:
      /^.*(?:AssertionError|ERR_ASSERTION|expect\(.+\)\.|Expected:|Received:|expected .+ to (?:be|equal|deeply equal)).*$/m,
  },
];

const pythonRules: Rule[] = [
  { kind: 'syntax-error', pattern: /^.*\b(?:SyntaxError|IndentationError|TabError)\b.*$/m },
  { kind: 'missing-module', pattern: /^.*ModuleNotFoundError: No module named '([^']+)'.*$/m, names: 'module' },
  { kind: 'missing-module', pattern: /^.*ImportError: cannot import name '([^']+)'.*$/m, names: 'symbol' },
  { kind: 'missing-module', pattern: /^.*NameError: name '([^']+)' is not defined.*$/m, names: 'symbol' },
  { kind: 'assertion', pattern: /^(?:E\s+)?(?:AssertionError\b.*|assert .*)$/m },
  { kind: 'no-tests', pattern: /^.*\bno tests ran\b.*$/m },
];

const goRules: Rule[] = [
  { kind: 'syntax-error', pattern: /^.*\bsyntax error\b.*$/m },
  {
    kind: 'missing-module',
    pattern: /^.*(?:no required module provides package|cannot find package) "?([^"\s;]+)"?.*$/m,
    names: 'module',
  },
  { kind: 'missing-module', pattern: /^.*\bundefined: (?:\w+\.)?(\w+).*$/m, names: 'symbol' },
  { kind: 'compile-error', pattern: /^.*\[(?:build|setup) failed\].*$/m },
  { kind: 'assertion', pattern: /^\s*--- FAIL: .*$/m },
  { kind: 'no-tests', pattern: /^.*\[no test files\].*$/m },
];

const rustRules: Rule[] = [
  { kind: 'missing-module', pattern: /^.*error\[E0432\]: unresolved import `(?:\w+::)*(\w+)`.*$/m, names: 'symbol' },
  {
    kind: 'missing-module',
    pattern: /^.*error\[E04(?:25|33)\]: (?:cannot find function|failed to resolve)[^`]*`(\w+)`.*$/m,
    names: 'symbol',
  },
  { kind: 'syntax-error', pattern: /^error: (?:expected|unexpected|this file contains an unclosed).*$/m },
  { kind: 'assertion', pattern: /^.*(?:assertion `?.*`? failed|assertion failed|panicked at).*$/m },
  // After the assertion rule: a panicking test also ends with `error: test failed, to rerun pass …`.
  { kind: 'compile-error', pattern: /^error(?:\[E\d+\])?: .*$/m },
];

const rulesByFramework: Partial<Record<TestFramework, Rule[]>> = {
  'node-test': javascriptRules,
  vitest: javascriptRules,
  jest: javascriptRules,
  pytest: pythonRules,
  'go-test': goRules,
  'cargo-test': rustRules,
};

const explanations: Record<RedRunKind, string> = {
  assertion: 'The test failed on an assertion: the expected red.',
  'missing-target': 'The code under test does not exist yet: an acceptable red.',
  passed: 'The test passed before the change, so it does not capture the missing behaviour.',
  'syntax-error': 'The test does not load: a syntax error, not a failing assertion.',
  'compile-error': 'The code does not compile for a reason other than the missing target.',
  'missing-module': 'An import of a module other than the target failed (wrong path or uninstalled package).',
  'no-tests': 'The runner found no test to run.',
  killed: 'The sandbox ended the run before it finished.',
  unknown: 'The run failed, but not on a recognisable assertion.',
};

function stem(path: string): string {
  return basename(path, extname(path));
}

function namesTarget(name: string, names: 'module' | 'symbol', target: RedRunTarget): boolean {
  if (names === 'symbol') {
    // Rust and Go name a missing module like a symbol (`unresolved import crate::text`).
    return name === target.functionName || (target.targetFile !== undefined && name === stem(target.targetFile));
  }
  if (target.targetFile === undefined) return false;
  const targetStem = stem(target.targetFile);
  const missingStem = stem(name.replace(/\.(?:js|mjs|cjs|ts|mts|cts)$/, '').replaceAll('.', '/'));
  const targetSegments = target.targetFile.replace(/\.\w+$/, '').split('/');
  return (
    missingStem === targetStem ||
    name.endsWith(target.targetFile) ||
    name.includes(`/${targetStem}.`) ||
    (!name.includes('/') && targetSegments.includes(name))
  );
}

function bounded(text: string): string {
  return text.trim().slice(0, 500);
}

function verdict(kind: RedRunKind, evidence: string, explanation = explanations[kind]): RedRunClassification {
  return {
    expectedReason: kind === 'assertion' || kind === 'missing-target',
    kind,
    explanation,
    evidence: bounded(evidence),
  };
}

/**
 * Decides whether a run of a freshly written acceptance test failed for the expected reason (an assertion, or the
 * target not existing yet) rather than a syntax error, an unrelated missing import, no tests, or a kill. Rules are per
 * framework; `make` and `unknown` try every framework's rules.
 */
export function classifyRedRun(
  result: TestRunResult,
  framework: TestFramework,
  target: RedRunTarget = {},
): RedRunClassification {
  if (result.killed !== null)
    return verdict('killed', result.warnings.join(' '), `The sandbox killed the run (${result.killed}).`);
  if (result.exitCode === 0) return verdict('passed', result.summary === null ? '' : `${result.summary.passed} passed`);
  const output = `${result.stdout.text}\n${result.stderr.text}`;
  const rules = rulesByFramework[framework] ?? [...javascriptRules, ...pythonRules, ...goRules, ...rustRules];
  for (const rule of rules) {
    const match = rule.pattern.exec(output);
    if (match === null) continue;
    if (rule.names !== undefined) {
      const name = match.slice(1).find((group) => group !== undefined) ?? '';
      if (namesTarget(name, rule.names, target)) {
        return verdict(
          'missing-target',
          match[0],
          `The target ${rule.names === 'module' ? 'module' : 'function'} ${name} does not exist yet: an acceptable red.`,
        );
      }
      if (rule.names === 'symbol' && (framework === 'go-test' || framework === 'cargo-test')) {
        return verdict('compile-error', match[0], `${name} is undefined, and it is not the function under test.`);
      }
    }
    return verdict(rule.kind, match[0]);
  }
  if (result.summary !== null && result.summary.total === 0) return verdict('no-tests', '');
  return verdict('unknown', output.trim().split('\n').slice(-5).join('\n'));
}
