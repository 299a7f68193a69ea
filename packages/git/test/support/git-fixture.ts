import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs git in a test repository with a fixed identity and no user/global configuration. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_AUTHOR_NAME: 'Test User',
      GIT_AUTHOR_EMAIL: 'user@example.com',
      GIT_COMMITTER_NAME: 'Test User',
      GIT_COMMITTER_EMAIL: 'user@example.com',
    },
  });
}

/** A temporary directory removed by `dispose`. */
export async function temporaryDirectory(prefix: string): Promise<{ path: string; dispose: () => Promise<void> }> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  return { path: directory, dispose: () => rm(directory, { recursive: true, force: true }) };
}

/** Creates a repository with the given files committed on `main`. */
export async function createRepository(directory: string, files: Record<string, string>): Promise<void> {
  await mkdir(directory, { recursive: true });
  git(directory, 'init', '--quiet', '--initial-branch=main');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(directory, name)), { recursive: true });
    await writeFile(path.join(directory, name), content);
  }
  git(directory, 'add', '-A');
  git(directory, 'commit', '--quiet', '-m', 'initial commit');
}
