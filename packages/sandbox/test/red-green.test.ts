import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AcceptanceSpec, TestFramework } from '@orchestrator/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyRedRun } from '../src/classify-red-run.ts';
import { createSandbox } from '../src/create-sandbox.ts';
import { detectTestCommand } from '../src/detect-test-command.ts';
import { generateAcceptanceTest } from '../src/generate-acceptance-test.ts';

const sandbox = createSandbox({ timeoutSeconds: 180 });
const repos: string[] = [];
afterAll(() => {
  for (const repo of repos) rmSync(repo, { recursive: true, force: true });
});

function write(repo: string, path: string, content: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), content);
}

function sampleRepo(files: Record<string, string>): string {
  const repo = mkdtempSync(join(tmpdir(), 'red-green-'));
  repos.push(repo);
  for (const [path, content] of Object.entries(files)) write(repo, path, content);
  return repo;
}

function available(command: string): boolean {
  return spawnSync('/bin/sh', ['-c', command], { stdio: 'ignore' }).status === 0;
}

const slugifySpec = {
  description: 'slugify lower-cases and joins words with dashes',
  functionName: 'slugify',
  examples: [
    { arguments: ['Hello World'], expected: 'hello-world' },
    { arguments: ['  Many   Spaces '], expected: 'many-spaces' },
  ],
};

interface Case {
  framework: TestFramework;
  toolchain: string;
  files: Record<string, string>;
  spec: AcceptanceSpec;
  stub: [string, string];
  implementation: [string, string];
}

const cases: Case[] = [
  {
    framework: 'node-test',
    toolchain: 'node --version',
    files: { 'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }) },
    spec: { ...slugifySpec, targetFile: 'src/slugify.js' },
    stub: ['src/slugify.js', 'export function slugify(text) {\n  return text;\n}\n'],
    implementation: [
      'src/slugify.js',
      "export function slugify(text) {\n  return text.trim().toLowerCase().split(/\\s+/).join('-');\n}\n",
    ],
  },
  {
    framework: 'pytest',
    toolchain: 'python3 -m pytest --version',
    files: { 'pytest.ini': '[pytest]\n' },
    spec: { ...slugifySpec, targetFile: 'slug.py' },
    stub: ['slug.py', 'def slugify(text):\n    return text\n'],
    implementation: ['slug.py', "def slugify(text):\n    return '-'.join(text.lower().split())\n"],
  },
  {
    framework: 'cargo-test',
    toolchain: 'cargo --version',
    files: { 'Cargo.toml': '[package]\nname = "slug-demo"\nversion = "0.1.0"\nedition = "2021"\n', 'src/lib.rs': '' },
    spec: { ...slugifySpec, targetFile: 'src/lib.rs', crateName: 'slug-demo' },
    stub: ['src/lib.rs', 'pub fn slugify(text: &str) -> String {\n    text.to_string()\n}\n'],
    implementation: [
      'src/lib.rs',
      'pub fn slugify(text: &str) -> String {\n    text.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join("-")\n}\n',
    ],
  },
];

describe.each(cases)('red, then green: $framework', (testCase) => {
  const present = available(testCase.toolchain);
  it.runIf(present)('fails for the expected reason before the change and passes after it', async () => {
    const repo = sampleRepo(testCase.files);
    const detected = detectTestCommand(repo);
    expect(detected?.framework).toBe(testCase.framework);
    const command = detected?.command ?? '';
    const test = generateAcceptanceTest(testCase.spec, testCase.framework);
    write(repo, test.path, test.content);
    const target = { targetFile: testCase.spec.targetFile, functionName: testCase.spec.functionName };

    const missing = await sandbox.run(command, { cwd: repo });
    const missingVerdict = classifyRedRun(missing, testCase.framework, target);
    expect(missingVerdict.kind).toBe('missing-target');
    expect(missingVerdict.expectedReason).toBe(true);

    write(repo, ...testCase.stub);
    const red = await sandbox.run(command, { cwd: repo });
    const redVerdict = classifyRedRun(red, testCase.framework, target);
    expect(red.exitCode).not.toBe(0);
    expect(redVerdict).toMatchObject({ kind: 'assertion', expectedReason: true });
    expect(red.summary).toMatchObject({ failed: 1, passed: 0 });

    write(repo, ...testCase.implementation);
    const green = await sandbox.run(command, { cwd: repo });
    expect(green.exitCode).toBe(0);
    expect(green.summary).toMatchObject({ failed: 0, passed: 1 });
    expect(classifyRedRun(green, testCase.framework, target)).toMatchObject({ kind: 'passed', expectedReason: false });
  });
  if (!present) it.skip(`not exercised: ${testCase.toolchain} is not installed here`, () => {});
});

describe('red runs that fail for the wrong reason', () => {
  const nodeRepo = (testFile: string) =>
    sampleRepo({
      'package.json': JSON.stringify({ type: 'module', scripts: { test: 'node --test' } }),
      'src/slugify.js': 'export function slugify(text) {\n  return text;\n}\n',
      'test/slugify.test.mjs': testFile,
    });
  const target = { targetFile: 'src/slugify.js', functionName: 'slugify' };

  it('a syntax error in the test is not a valid red', async () => {
    const repo = nodeRepo("import { test } from 'node:test';\ntest('x', () => { const = 1; });\n");
    const verdict = classifyRedRun(await sandbox.run('npm test', { cwd: repo }), 'node-test', target);
    expect(verdict).toMatchObject({ kind: 'syntax-error', expectedReason: false });
    expect(verdict.evidence).toContain('SyntaxError');
  });

  it('a missing import of an unrelated module is not a valid red', async () => {
    const repo = nodeRepo(
      "import { test } from 'node:test';\nimport { helper } from '../src/helpers.js';\nimport { slugify } from '../src/slugify.js';\ntest('x', () => { helper(slugify('a')); });\n",
    );
    const verdict = classifyRedRun(await sandbox.run('npm test', { cwd: repo }), 'node-test', target);
    expect(verdict).toMatchObject({ kind: 'missing-module', expectedReason: false });
    expect(verdict.evidence).toContain('helpers.js');
  });

  it.runIf(available('python3 -m pytest --version'))('pytest: an uninstalled package is not a valid red', async () => {
    const repo = sampleRepo({
      'pytest.ini': '[pytest]\n',
      'slug.py': 'def slugify(text):\n    return text\n',
      'tests/test_slug.py':
        'import requests_oauth_missing\nfrom slug import slugify\n\ndef test_x():\n    assert slugify("A") == "a"\n',
    });
    const verdict = classifyRedRun(await sandbox.run('python3 -m pytest -q', { cwd: repo }), 'pytest', {
      targetFile: 'slug.py',
      functionName: 'slugify',
    });
    expect(verdict).toMatchObject({ kind: 'missing-module', expectedReason: false });
    expect(verdict.evidence).toContain('requests_oauth_missing');
  });
});
