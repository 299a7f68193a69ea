import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The files of the sample repository: a tiny JavaScript library with a README and a test. */
export const demoRepoFiles: Readonly<Record<string, string>> = {
  'README.md': '# demo-greeter\n\nA tiny library that greets people.\n',
  'package.json': `${JSON.stringify({ name: 'demo-greeter', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'src/greet.js':
    "/** Greets someone by name. */\nexport function greet(name) {\n  return ['Hello', name].join(', ');\n}\n",
  'test/greet.test.js':
    "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { greet } from '../src/greet.js';\n\ntest('greet names the person', () => {\n  assert.equal(greet('Ada'), 'Hello, Ada');\n});\n",
};

/** Creates the sample git repository in a new temporary directory and returns its path. */
export function createDemoRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'orchestrator-demo-'));
  for (const [path, content] of Object.entries(demoRepoFiles)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Orchestrator Demo',
        GIT_AUTHOR_EMAIL: 'demo@localhost',
        GIT_COMMITTER_NAME: 'Orchestrator Demo',
        GIT_COMMITTER_EMAIL: 'demo@localhost',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit');
  return repo;
}
