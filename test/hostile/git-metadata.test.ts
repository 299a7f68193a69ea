import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { commitAll, type GitWorkspace, GitWorkspaceProvider } from '@orchestrator/git';
import { createSandbox } from '@orchestrator/sandbox';
import { OrchestratorError } from '@orchestrator/spec';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHostileRepository, testGit } from './support/hostile-repository.ts';
import { sandboxSkipMessage, sandboxSuitesRun } from './support/sandbox-requirement.ts';

// The escape found by the adversarial run: a sandboxed test points the worktree's `.git` at a folder it controls,
// whose config sets core.fsmonitor to a shell command; the next host-side `git add --all` ran it as the user.
const hostileDirectory = new URL('.', import.meta.url).pathname;
const author = { name: 'Orchestrator', email: 'orchestrator@example.com' };

let base: string;
let marker: string;
let savedHome: string | undefined;

beforeAll(() => {
  base = mkdtempSync(join(hostileDirectory, '.scratch-git-'));
  // The host's git must not read the user's global configuration either: plant one that would run a filter.
  savedHome = process.env.HOME;
  const home = join(base, 'home');
  mkdirSync(home);
  process.env.HOME = home;
  delete process.env.XDG_CONFIG_HOME;
});
afterAll(() => {
  if (savedHome === undefined) delete process.env.HOME;
  else process.env.HOME = savedHome;
  rmSync(base, { recursive: true, force: true });
});

let run = 0;
let checkout: string;
let workspace: GitWorkspace;
let originalPointer: string;

beforeEach(async () => {
  run += 1;
  const root = join(base, `case-${run}`);
  marker = join(root, 'outside', 'pwned');
  mkdirSync(join(root, 'outside'), { recursive: true });
  checkout = join(root, 'checkout');
  await createHostileRepository(checkout, { 'README.md': '# demo\n' });
  workspace = await new GitWorkspaceProvider({ dataDir: join(root, 'data') }).open({
    repo: checkout,
    runId: `r-git-${run}`,
    slug: 'x',
  });
  originalPointer = readFileSync(join(workspace.root, '.git'), 'utf8');
});
afterEach(() => {
  expect(existsSync(marker), 'a command planted by the hostile repository ran on the host').toBe(false);
});

/** Shell lines that point `.git` at a repository inside the worktree whose fsmonitor writes `marker`. */
function hijackScript(): string {
  return [
    'git init -q --bare .evil',
    'git config -f .evil/config core.bare false',
    `git config -f .evil/config core.fsmonitor 'touch ${marker}; false'`,
    "printf 'gitdir: .evil\\n' > .git",
    'echo "pointer-write=$?"',
    'echo work > change.txt',
  ].join('\n');
}

function codeOf(error: unknown): string | undefined {
  return OrchestratorError.isInstance(error) ? error.code : undefined;
}

const suite = sandboxSuitesRun() ? describe : describe.skip;

suite('git metadata is not the sandbox’s to write', () => {
  it('a sandboxed test cannot repoint .git, and the next host-side git add does not run its fsmonitor', async () => {
    const sandbox = createSandbox({ hostEnvironment: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const outcome = await sandbox.run(hijackScript(), { cwd: workspace.root }).catch((error: unknown) => error);
    const commit = await commitAll(workspace, { message: 'work', author }).catch((error: unknown) => error);
    expect(existsSync(marker)).toBe(false);
    // Either the pointer could not be written, or the sandbox refused the worktree afterwards; never a silent change.
    if (OrchestratorError.isInstance(outcome)) expect(outcome.code).toBe('sandbox-git-metadata-changed');
    else {
      const result = outcome as { stdout: { text: string } };
      expect(result.stdout.text).toMatch(/pointer-write=[1-9]/);
      expect(readFileSync(join(workspace.root, '.git'), 'utf8')).toBe(originalPointer);
      expect(commit).toMatchObject({ status: 'created' });
    }
  });
});

if (!sandboxSuitesRun()) {
  describe('git metadata is not the sandbox’s to write', () => {
    it.skip(sandboxSkipMessage, () => {});
  });
}

describe('the host refuses a worktree whose git metadata changed', () => {
  it('refuses a repointed .git (as an unsandboxed run could leave it) before running any git command', async () => {
    const sandbox = createSandbox({ kind: 'none', hostEnvironment: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const outcome = await sandbox.run(hijackScript(), { cwd: workspace.root }).catch((error: unknown) => error);
    expect(codeOf(outcome)).toBe('sandbox-git-metadata-changed');
    for (const attempt of [
      () => commitAll(workspace, { message: 'work', author }),
      () => commitAll({ root: workspace.root, baseCommit: workspace.baseCommit }, { message: 'work', author }),
      () => workspace.diff(),
      () => workspace.listFiles(),
    ]) {
      expect(codeOf(await attempt().catch((error: unknown) => error))).toBe('workspace-git-metadata-changed');
    }
  });

  it('refuses a .git that became a symbolic link, even to the right place', async () => {
    const pointer = join(workspace.root, '.git');
    const gitDir = originalPointer.replace(/^gitdir: /, '').trim();
    writeFileSync(join(workspace.root, 'pointer'), originalPointer);
    rmSync(pointer);
    symlinkSync(join(workspace.root, 'pointer'), pointer);
    expect(lstatSync(pointer).isSymbolicLink()).toBe(true);
    const error = await commitAll(workspace, { message: 'work', author }).catch((caught: unknown) => caught);
    expect(codeOf(error)).toBe('workspace-git-metadata-changed');
    expect(existsSync(gitDir)).toBe(true);
  });

  it('runs no fsmonitor, filter or hook named by repository or global configuration', async () => {
    testGit(checkout, 'config', 'core.fsmonitor', `touch ${marker}; false`);
    testGit(checkout, 'config', 'filter.hostile.clean', `touch ${marker}; cat`);
    testGit(checkout, 'config', 'filter.hostile.smudge', `touch ${marker}; cat`);
    writeFileSync(
      join(process.env.HOME ?? '', '.gitconfig'),
      `[filter "global"]\n\tclean = touch ${marker}; cat\n[core]\n\tfsmonitor = touch ${marker}; false\n`,
    );
    writeFileSync(join(workspace.root, '.gitattributes'), '*.txt filter=hostile\n*.md filter=global\n');
    writeFileSync(join(workspace.root, 'notes.txt'), 'hello\n');
    writeFileSync(join(workspace.root, 'README.md'), '# demo, changed\n');
    const result = await commitAll(workspace, { message: 'work', author });
    expect(result.status).toBe('created');
    await workspace.diff();
    expect(existsSync(marker)).toBe(false);
    rmSync(join(process.env.HOME ?? '', '.gitconfig'));
  });
});
