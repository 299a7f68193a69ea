import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Runs git as the test's own tool: fixed identity, no system or global configuration of the machine. */
export function testGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Test User',
      GIT_AUTHOR_EMAIL: 'user@example.com',
      GIT_COMMITTER_NAME: 'Test User',
      GIT_COMMITTER_EMAIL: 'user@example.com',
    },
  });
}

/** A repository (the user's checkout) with the given files committed on `main`. */
export async function createHostileRepository(directory: string, files: Record<string, string>): Promise<void> {
  mkdirSync(directory, { recursive: true });
  testGit(directory, 'init', '--quiet', '--initial-branch=main');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(directory, name)), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  testGit(directory, 'add', '-A');
  testGit(directory, 'commit', '--quiet', '-m', 'initial commit');
}
