import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectTestCommand } from './detect-test-command.ts';

const repos: string[] = [];
function repoWith(files: Record<string, string>): string {
  const repo = mkdtempSync(join(tmpdir(), 'detect-'));
  repos.push(repo);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  return repo;
}
afterEach(() => {
  for (const repo of repos.splice(0)) rmSync(repo, { recursive: true, force: true });
});

describe('detectTestCommand', () => {
  it('uses the package manager of the lockfile and the framework of the test script', () => {
    const scripts = (test: string) => JSON.stringify({ scripts: { test } });
    expect(detectTestCommand(repoWith({ 'package.json': scripts('vitest run'), 'pnpm-lock.yaml': '' }))).toMatchObject({
      command: 'pnpm test',
      framework: 'vitest',
      packageManager: 'pnpm',
      source: 'package.json',
    });
    expect(detectTestCommand(repoWith({ 'package.json': scripts('jest --ci'), 'yarn.lock': '' }))).toMatchObject({
      command: 'yarn test',
      framework: 'jest',
    });
    const npm = detectTestCommand(repoWith({ 'package.json': scripts('node --test'), 'package-lock.json': '{}' }));
    expect(npm).toMatchObject({ command: 'npm test', framework: 'node-test', packageManager: 'npm' });
    expect(npm?.reason).toContain('package-lock.json → npm');
  });

  it('reads the framework from devDependencies when the script hides it', () => {
    const repo = repoWith({
      'package.json': JSON.stringify({ scripts: { test: 'run-tests' }, devDependencies: { vitest: '^3' } }),
    });
    expect(detectTestCommand(repo)?.framework).toBe('vitest');
  });

  it('ignores the placeholder script npm init writes and falls through to the next signal', () => {
    const repo = repoWith({
      'package.json': JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
      Makefile: 'build:\n\tcc main.c\ntest: build\n\t./run-tests\n',
    });
    expect(detectTestCommand(repo)).toMatchObject({ command: 'make test', framework: 'make', source: 'Makefile' });
  });

  it('detects pytest, go test and cargo test', () => {
    expect(detectTestCommand(repoWith({ 'pyproject.toml': '[tool.pytest.ini_options]\n' }))).toMatchObject({
      command: 'python3 -m pytest -q',
      framework: 'pytest',
    });
    expect(detectTestCommand(repoWith({ 'tests/test_app.py': 'def test_x(): pass\n' }))?.reason).toContain(
      'tests directory',
    );
    expect(detectTestCommand(repoWith({ 'go.mod': 'module example.com/x\n' }))).toMatchObject({
      command: 'go test ./...',
      framework: 'go-test',
    });
    expect(detectTestCommand(repoWith({ 'Cargo.toml': '[package]\nname = "x"\n' }))).toMatchObject({
      command: 'cargo test --offline',
      framework: 'cargo-test',
    });
  });

  it('prefers the configured command and says so', () => {
    const repo = repoWith({ 'go.mod': 'module x\n' });
    expect(detectTestCommand(repo, { configured: 'python3 -m pytest -x' })).toEqual({
      command: 'python3 -m pytest -x',
      framework: 'pytest',
      source: 'config',
      reason: 'set by sandbox.testCommand in the configuration',
    });
  });

  it('returns undefined when the repository has no recognisable tests', () => {
    expect(detectTestCommand(repoWith({ 'README.md': '# docs only\n' }))).toBeUndefined();
  });
});
