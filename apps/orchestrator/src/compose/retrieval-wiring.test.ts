import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RepositoryIndex, repositoryIndexPath } from '@orchestrator/retrieval';
import { configSchema, type Workspace } from '@orchestrator/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { createRetrievalWiring, mainCheckoutOf } from './retrieval-wiring.ts';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  directories.push(directory);
  return directory;
}

const gitEnvironment = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@localhost',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@localhost',
};

/** A git repository with these files committed, and a worktree of it (as runs get). */
function repositoryWithWorktree(files: Record<string, string>): { repo: string; worktree: string } {
  const repo = temporaryDirectory('retrieval-wiring-repo-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore', env: gitEnvironment });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'initial');
  const worktree = join(temporaryDirectory('retrieval-wiring-worktrees-'), 'run');
  git('worktree', 'add', '-q', '-b', 'orchestrator/run', worktree);
  return { repo, worktree };
}

/** The part of a workspace the context providers read, over a real directory. */
function workspaceAt(root: string): Workspace {
  return {
    root,
    branch: 'orchestrator/run',
    baseCommit: 'HEAD',
    applyEdits: async () => ({ ok: true, applied: [] }),
    diff: async () => '',
    readFile: async (path: string) =>
      existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined,
    listFiles: async () =>
      execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean),
  } as unknown as Workspace;
}

const authFiles = {
  'src/auth.ts':
    "import { createHash } from 'node:crypto';\n\n/** Hashes a password. */\nexport function hashPassword(password: string): string {\n  return createHash('sha256').update(password).digest('hex');\n}\n",
  'docs/security-policy.md': '# Security policy\n\n## Passwords\n\nPasswords are salted and hashed with scrypt.\n',
};

const turnInput = (workspace: Workspace) => ({
  task: 'update src/auth.ts per policy',
  role: 'builder',
  kind: 'implement',
  workspace,
  plannedFiles: ['src/auth.ts'],
});

describe('retrieval wiring of the CLI runtime', () => {
  it('adds the repo map and the retrieved chunks (with ids) after the workspace context, from an index seeded from the main checkout', async () => {
    const { repo, worktree } = repositoryWithWorktree(authFiles);
    expect(mainCheckoutOf(worktree)).toBe(
      execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: repo, encoding: 'utf8' }).trim(),
    );
    const dataDir = temporaryDirectory('retrieval-wiring-data-');
    const mainIndex = RepositoryIndex.open({ root: repo, databasePath: repositoryIndexPath(dataDir, repo) });
    await mainIndex.update();
    mainIndex.close();
    const wiring = createRetrievalWiring({ config: configSchema.parse({}), dataDir, env: {} })!;
    try {
      const sections = await wiring.contextProvider(turnInput(workspaceAt(worktree)));
      expect(sections[0]?.title).toBe('Repository files');
      expect(sections.some((section) => section.path === 'src/auth.ts')).toBe(true);
      expect(sections.some((section) => section.title.startsWith('Repository map'))).toBe(true);
      const chunkIds = sections.flatMap((section) => (section.chunkId === undefined ? [] : [section.chunkId]));
      expect(chunkIds.some((id) => /^src\/auth\.ts:3-6#[0-9a-f]{12}$/.test(id))).toBe(true);
      expect(chunkIds.some((id) => id.startsWith('docs/security-policy.md:'))).toBe(true);
      expect(existsSync(repositoryIndexPath(dataDir, worktree))).toBe(true);
    } finally {
      wiring.close();
    }
  });

  it('sees the worktree’s edits on the next turn (new chunk ids for changed lines)', async () => {
    const { worktree } = repositoryWithWorktree(authFiles);
    const wiring = createRetrievalWiring({
      config: configSchema.parse({}),
      dataDir: temporaryDirectory('retrieval-wiring-data-'),
      env: {},
    })!;
    try {
      const before = await wiring.contextProvider(turnInput(workspaceAt(worktree)));
      writeFileSync(join(worktree, 'src/auth.ts'), `// salted\n${authFiles['src/auth.ts']}`);
      const after = await wiring.contextProvider(turnInput(workspaceAt(worktree)));
      const authIds = (sections: typeof before) =>
        sections.flatMap((section) => (section.chunkId?.startsWith('src/auth.ts:') === true ? [section.chunkId] : []));
      expect(authIds(after).some((id) => id.startsWith('src/auth.ts:4-7#'))).toBe(true);
      expect(authIds(after)).not.toEqual(authIds(before));
    } finally {
      wiring.close();
    }
  });

  it('on a repository with no supported files, turns get the workspace context and no chunk', async () => {
    const { worktree } = repositoryWithWorktree({ 'data.bin': '\u0000\u0001\u0002' });
    const warnings: string[] = [];
    const wiring = createRetrievalWiring({
      config: configSchema.parse({}),
      dataDir: temporaryDirectory('retrieval-wiring-data-'),
      env: {},
      onWarning: (warning) => warnings.push(warning),
    })!;
    try {
      const sections = await wiring.contextProvider(turnInput(workspaceAt(worktree)));
      expect(sections.map((section) => section.title)).toEqual(['Repository files']);
      expect(warnings).toEqual([]);
    } finally {
      wiring.close();
    }
  });

  it('an index that cannot be opened costs the turn its chunks, not the run, and warns once', async () => {
    const { worktree } = repositoryWithWorktree(authFiles);
    const dataDir = temporaryDirectory('retrieval-wiring-data-');
    // A directory where the index file should be: SQLite cannot open it.
    mkdirSync(repositoryIndexPath(dataDir, worktree), { recursive: true });
    const warnings: string[] = [];
    const wiring = createRetrievalWiring({
      config: configSchema.parse({}),
      dataDir,
      env: {},
      onWarning: (warning) => warnings.push(warning),
    })!;
    try {
      for (let turn = 0; turn < 2; turn += 1) {
        const sections = await wiring.contextProvider(turnInput(workspaceAt(worktree)));
        expect(sections.some((section) => section.path === 'src/auth.ts')).toBe(true);
        expect(sections.every((section) => section.chunkId === undefined)).toBe(true);
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^retrieval is off for this run: the repository index failed/);
    } finally {
      wiring.close();
    }
  });

  it('is off when the configuration says so, and honours k and mapTokens', async () => {
    expect(
      createRetrievalWiring({
        config: configSchema.parse({ retrieval: { enabled: false } }),
        dataDir: temporaryDirectory('x-'),
        env: {},
      }),
    ).toBeUndefined();
    const { worktree } = repositoryWithWorktree(authFiles);
    const wiring = createRetrievalWiring({
      config: configSchema.parse({ retrieval: { k: 1, mapTokens: 0 } }),
      dataDir: temporaryDirectory('retrieval-wiring-data-'),
      env: {},
    })!;
    try {
      const sections = await wiring.contextProvider(turnInput(workspaceAt(worktree)));
      expect(sections.filter((section) => section.chunkId !== undefined)).toHaveLength(1);
      expect(sections.some((section) => section.title.startsWith('Repository map'))).toBe(false);
    } finally {
      wiring.close();
    }
  });

  it('refuses embeddings without an embedding model, with a hint', () => {
    expect(() =>
      createRetrievalWiring({
        config: configSchema.parse({ retrieval: { embeddings: true } }),
        dataDir: temporaryDirectory('x-'),
        env: {},
      }),
    ).toThrow(expect.objectContaining({ code: 'retrieval-embeddings-unconfigured' }));
  });
});
