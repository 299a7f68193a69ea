import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCommandDetection, TestFramework } from '@orchestrator/spec';
import { z } from 'zod';

const packageJsonSchema = z.looseObject({
  scripts: z.record(z.string(), z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
});

/** The script `npm init` writes; it is not a test suite. */
const npmPlaceholderScript = /no test specified/;

/** Guesses the framework from a command line or a package script. */
export function frameworkOfCommand(command: string): TestFramework {
  if (/\bvitest\b/.test(command)) return 'vitest';
  if (/\bjest\b/.test(command)) return 'jest';
  if (/\bnode\b[^&|;]*--test\b/.test(command)) return 'node-test';
  if (/\bpytest\b/.test(command)) return 'pytest';
  if (/\bgo\s+test\b/.test(command)) return 'go-test';
  if (/\bcargo\s+(test|nextest)\b/.test(command)) return 'cargo-test';
  if (/\bmake\b/.test(command)) return 'make';
  return 'unknown';
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function detectPackageJson(repo: string): TestCommandDetection | undefined {
  const text = readText(join(repo, 'package.json'));
  if (text === undefined) return undefined;
  let manifest: z.infer<typeof packageJsonSchema>;
  try {
    manifest = packageJsonSchema.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
  const script = manifest.scripts?.test;
  if (script === undefined || npmPlaceholderScript.test(script)) return undefined;
  const lockfiles: Array<[string, 'npm' | 'pnpm' | 'yarn']> = [
    ['pnpm-lock.yaml', 'pnpm'],
    ['yarn.lock', 'yarn'],
    ['package-lock.json', 'npm'],
    ['npm-shrinkwrap.json', 'npm'],
  ];
  const found = lockfiles.find(([file]) => existsSync(join(repo, file)));
  const packageManager = found?.[1] ?? 'npm';
  const lockReason = found === undefined ? 'no lockfile → npm' : `${found[0]} → ${packageManager}`;
  const dependencies = { ...manifest.dependencies, ...manifest.devDependencies };
  let framework = frameworkOfCommand(script);
  if (framework === 'unknown' && 'vitest' in dependencies) framework = 'vitest';
  if (framework === 'unknown' && 'jest' in dependencies) framework = 'jest';
  return {
    command: `${packageManager} test`,
    framework,
    source: 'package.json',
    reason: `package.json has a "test" script (${JSON.stringify(script)}); ${lockReason}`,
    packageManager,
  };
}

function hasPythonTests(directory: string): boolean {
  try {
    return readdirSync(directory).some((name) => /^test_.*\.py$|_test\.py$/.test(name));
  } catch {
    return false;
  }
}

function detectPytest(repo: string): TestCommandDetection | undefined {
  const signals: Array<[string, (text: string) => boolean]> = [
    ['pytest.ini', () => true],
    ['pyproject.toml', (text) => /\[tool\.pytest|\bpytest\b/.test(text)],
    ['setup.cfg', (text) => /\[tool:pytest\]/.test(text)],
    ['tox.ini', (text) => /\[pytest\]/.test(text)],
    ['conftest.py', () => true],
  ];
  for (const [file, matches] of signals) {
    const text = readText(join(repo, file));
    if (text !== undefined && matches(text)) return pytest(`${file} configures pytest`);
  }
  if (hasPythonTests(join(repo, 'tests')) || hasPythonTests(join(repo, 'test'))) {
    return pytest('a tests directory holds test_*.py files');
  }
  return undefined;
}

function pytest(reason: string): TestCommandDetection {
  return { command: 'python3 -m pytest -q', framework: 'pytest', source: 'pytest', reason };
}

function detectMakefile(repo: string): TestCommandDetection | undefined {
  for (const file of ['Makefile', 'makefile', 'GNUmakefile']) {
    const text = readText(join(repo, file));
    if (text !== undefined && /^test\s*:/m.test(text)) {
      return { command: 'make test', framework: 'make', source: 'Makefile', reason: `${file} has a "test" target` };
    }
  }
  return undefined;
}

/**
 * Finds how to run a repository's tests, in this order: the configured `sandbox.testCommand`, a package.json "test"
 * script (npm, pnpm or yarn by lockfile), pytest, `go test` (go.mod), `cargo test` (Cargo.toml), a Makefile "test"
 * target. Returns undefined when nothing is found: the caller asks the user to set `sandbox.testCommand`.
 */
export function detectTestCommand(
  repo: string,
  options: { configured?: string | undefined } = {},
): TestCommandDetection | undefined {
  const configured = options.configured?.trim();
  if (configured !== undefined && configured !== '') {
    return {
      command: configured,
      framework: frameworkOfCommand(configured),
      source: 'config',
      reason: 'set by sandbox.testCommand in the configuration',
    };
  }
  const fromPackage = detectPackageJson(repo);
  if (fromPackage) return fromPackage;
  const fromPytest = detectPytest(repo);
  if (fromPytest) return fromPytest;
  if (existsSync(join(repo, 'go.mod'))) {
    return { command: 'go test ./...', framework: 'go-test', source: 'go.mod', reason: 'go.mod marks a Go module' };
  }
  if (existsSync(join(repo, 'Cargo.toml'))) {
    return {
      command: 'cargo test --offline',
      framework: 'cargo-test',
      source: 'Cargo.toml',
      reason: 'Cargo.toml marks a Rust crate (--offline: the sandbox has no network)',
    };
  }
  return detectMakefile(repo);
}
