// Phase 6: repository index and retrieve-then-prompt with cited chunks. On a sample repository, the task
// "update src/auth.ts per policy" retrieves the chunks of src/auth.ts and of the policy document (ids + line ranges),
// and the citation check accepts citations of those chunks and rejects invented ones. Then the real CLI runs the task:
// the Builder cites the chunk ids and lines of src/auth.ts and of the policy section, and an invented citation is a
// protocol error the Critic sees (repaired once, or the run does not converge).
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { createRetriever, RepositoryIndex, repositoryIndexPath } from '@orchestrator/retrieval';
import { checkCitations, type RetrievedChunk } from '@orchestrator/spec';
import { checkCitedRun } from './p6-cited-run.ts';
import { check, cli, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const dataDir = freshDataDir('p6');
const env = { ORCHESTRATOR_HOME: dataDir, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '' };
const repo = mkdtempSync(join(tmpdir(), 'orchestrator-p6-repo-'));
const authSource = [
  "import { createHash } from 'node:crypto';",
  '',
  '/** Hashes a password for storage. */',
  'export function hashPassword(password: string): string {',
  "  return createHash('sha256').update(password).digest('hex');",
  '}',
  '',
  '/** Checks a login attempt against the stored hash. */',
  'export function verifyLogin(storedHash: string, attempt: string): boolean {',
  '  return storedHash === hashPassword(attempt);',
  '}',
  '',
].join('\n');
const files: Record<string, string> = {
  '.gitignore': 'private/\n',
  'src/auth.ts': authSource,
  'src/billing.ts':
    'export function invoiceTotal(amounts: number[]): number {\n  return amounts.reduce((sum, amount) => sum + amount, 0);\n}\n',
  'src/server.ts':
    "import { verifyLogin } from './auth.ts';\nexport function handleLogin(body: { hash: string; password: string }) {\n  return verifyLogin(body.hash, body.password);\n}\n",
  'docs/security-policy.md':
    '# Security policy\n\n## Passwords\n\nPasswords are hashed with scrypt and a random per-user salt, and hashes are compared in constant time; plain SHA-256 is not allowed.\n\n## Sessions\n\nSessions expire after 30 minutes of inactivity.\n',
  'README.md': '# Sample service\n\nA tiny service used by the phase 6 smoke test.\n',
  'private/notes.md':
    '# Notes on the auth policy\n\nupdate src/auth.ts per policy (ignored file, must never be retrieved)\n',
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), content);
}
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    stdio: 'ignore',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Smoke',
      GIT_AUTHOR_EMAIL: 'smoke@localhost',
      GIT_COMMITTER_NAME: 'Smoke',
      GIT_COMMITTER_EMAIL: 'smoke@localhost',
    },
  });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'Sample service');

const indexed = cli(['index', '--repo', repo, '--json'], env);
let summary: { files?: number; chunks?: number; filesIndexed?: number; index?: string } = {};
try {
  summary = JSON.parse(indexed.stdout);
} catch {}
check('orchestrator index exits 0', indexed.status === 0, indexed.stderr.trim());
check('index holds the 6 selected files (the gitignored one left out)', summary.files === 6, `files ${summary.files}`);
check('index lives under <dataDir>/index/', summary.index === repositoryIndexPath(dataDir, repo), summary.index ?? '');

const task = 'update src/auth.ts per policy';
const searched = cli(['search', task, '--repo', repo, '--json', '-k', '6'], env);
let chunks: RetrievedChunk[] = [];
try {
  chunks = (JSON.parse(searched.stdout) as { chunks: RetrievedChunk[] }).chunks;
} catch {}
check(
  'orchestrator search exits 0 with JSON chunks',
  searched.status === 0 && chunks.length > 0,
  searched.stderr.trim(),
);
const verify = chunks.find((chunk) => chunk.path === 'src/auth.ts' && chunk.symbol === 'verifyLogin');
const hash = chunks.find((chunk) => chunk.path === 'src/auth.ts' && chunk.symbol === 'hashPassword');
const policy = chunks.find((chunk) => chunk.path === 'docs/security-policy.md' && chunk.symbol === 'Passwords');
check(
  'src/auth.ts verifyLogin retrieved with its lines (8-11)',
  verify?.startLine === 8 && verify.endLine === 11,
  verify?.id ?? 'missing',
);
check(
  'src/auth.ts hashPassword retrieved with its lines (3-6)',
  hash?.startLine === 3 && hash.endLine === 6,
  hash?.id ?? 'missing',
);
check(
  'policy section "Passwords" retrieved with its lines (1-5, the bare title joins it)',
  policy?.startLine === 1 && policy.endLine === 5,
  policy?.id ?? 'missing',
);
check(
  'the top 3 results all come from src/auth.ts or the policy document',
  chunks.slice(0, 3).every((chunk) => chunk.path === 'src/auth.ts' || chunk.path === 'docs/security-policy.md'),
  chunks.map((chunk) => `${chunk.path}:${chunk.startLine}-${chunk.endLine}`).join(', '),
);
check(
  'gitignored files are never retrieved',
  chunks.every((chunk) => !chunk.path.startsWith('private/')),
);

// The kernel's half: retrieve through the Retriever port, then check the Builder's citations against the ids.
const index = RepositoryIndex.open({ root: repo, databasePath: repositoryIndexPath(dataDir, repo) });
const retrieved = await createRetriever(index).retrieve(task, { k: 6 });
index.close();
const retrievedIds = retrieved.map((chunk) => chunk.id);
check(
  'the Retriever port returns the same chunk ids as the CLI',
  retrievedIds.join() === chunks.map((chunk) => chunk.id).join(),
);
const goodCitations = [
  ...(verify === undefined ? [] : [{ chunkId: verify.id, startLine: 9, endLine: 10 }]),
  ...(policy === undefined ? [] : [{ chunkId: policy.id }]),
];
check(
  'citations of retrieved chunks pass the citation check',
  goodCitations.length === 2 && checkCitations(goodCitations, retrievedIds).length === 0,
);
const invalid = checkCitations(
  [
    { chunkId: 'src/auth.ts:1-40#0123456789ab' },
    ...(verify === undefined ? [] : [{ chunkId: verify.id, startLine: 2, endLine: 9 }]),
  ],
  retrievedIds,
);
check(
  'an invented chunk id and lines outside a chunk are rejected',
  invalid.map((entry) => entry.reason).join() === 'not-retrieved,lines-outside-chunk',
  invalid.map((entry) => entry.message).join(' | '),
);

writeFileSync(join(repo, 'src/billing.ts'), `${files['src/billing.ts']}export const currency = 'EUR';\n`);
const reindexed = cli(['index', '--repo', repo, '--json'], env);
let second: { filesIndexed?: number; filesUnchanged?: number } = {};
try {
  second = JSON.parse(reindexed.stdout);
} catch {}
check(
  're-index touches only the changed file',
  second.filesIndexed === 1 && second.filesUnchanged === 5,
  JSON.stringify(second),
);
const again = cli(['search', task, '--repo', repo, '--json', '-k', '6'], env);
const againIds = (JSON.parse(again.stdout || '{"chunks":[]}') as { chunks: RetrievedChunk[] }).chunks.map(
  (chunk) => chunk.id,
);
check(
  'chunk ids of unchanged files are stable across re-indexing',
  verify !== undefined && againIds.includes(verify.id),
);

const map = cli(['map', '--repo', repo, '--tokens', '200'], env);
check(
  'orchestrator map ranks the referenced definition verifyLogin in src/auth.ts',
  map.status === 0 && map.stdout.startsWith('src/auth.ts:') && map.stdout.includes('verifyLogin'),
  map.stdout.split('\n')[0] ?? '',
);
// Optional embeddings through an OpenAI-compatible endpoint (a loopback stand-in with concept vectors): a synonym BM25
// cannot match ("credentials") finds the password code once vectors are fused in.
const concepts: Record<string, number> = {
  password: 0,
  passwords: 0,
  credentials: 0,
  login: 0,
  invoice: 1,
  billing: 1,
};
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (part) => {
    body += part;
  });
  request.on('end', () => {
    const { input } = JSON.parse(body) as { input: string[] };
    const data = input.map((text, index) => {
      const embedding = [0, 0, 0.01];
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        const concept = concepts[word];
        if (concept !== undefined) embedding[concept] = (embedding[concept] ?? 0) + 1;
      }
      return { object: 'embedding', index, embedding };
    });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const embeddingsEnv = {
  ...env,
  ORCHESTRATOR_EMBEDDINGS_MODEL: 'concepts-v1',
  ORCHESTRATOR_EMBEDDINGS_BASE_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
};
const run = promisify(execFile);
const cliAsync = (args: string[], extraEnv: NodeJS.ProcessEnv) =>
  run(process.execPath, [join(repoRoot, 'apps/orchestrator/src/bin.ts'), ...args], {
    env: { ...process.env, NO_COLOR: '1', ...extraEnv },
  }).catch((error: { stdout?: string; stderr?: string }) => ({
    stdout: error.stdout ?? '',
    stderr: error.stderr ?? 'failed',
  }));
const lexicalOnly = await cliAsync(['search', 'credentials', '--repo', repo, '--json', '-k', '1'], env);
const fused = await cliAsync(
  ['search', 'credentials', '--repo', repo, '--json', '-k', '1', '--embeddings'],
  embeddingsEnv,
);
server.close();
const firstPath = (stdout: string) => {
  try {
    return (JSON.parse(stdout) as { chunks: RetrievedChunk[] }).chunks[0]?.path;
  } catch {
    return undefined;
  }
};
check(
  'without embeddings (the default) the synonym "credentials" finds nothing',
  firstPath(lexicalOnly.stdout) === undefined,
);
check(
  'with --embeddings, vectors fused by RRF find src/auth.ts for "credentials"',
  firstPath(fused.stdout) === 'src/auth.ts',
  fused.stderr.trim().split('\n').at(-1) ?? '',
);

await checkCitedRun({ repo, env, task, git, chunks: { verify, hash, policy } });
finish('p6');
