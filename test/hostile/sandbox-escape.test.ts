import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, relative } from 'node:path';
import { GitWorkspaceProvider } from '@orchestrator/git';
import { createSandbox } from '@orchestrator/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostileRepository } from './support/hostile-repository.ts';
import { sandboxSkipMessage, sandboxSuitesRun } from './support/sandbox-requirement.ts';

// A hostile test suite runs inside the sandbox: it tries to read the user's secrets and talk to host services over
// Unix sockets. The home, its secrets and the user's checkout are planted here (never the real home), outside /tmp:
// the sandbox's private /tmp would hide a home under /tmp for the wrong reason.
const hostileDirectory = new URL('.', import.meta.url).pathname;

/** Secrets a hostile test would look for, relative to the home directory. */
const plantedInHome = [
  '.aws/credentials',
  '.claude/.credentials.json',
  '.config/anthropic/api_key',
  '.cache/huggingface/token',
  '.vault-token',
  '.pgpass',
  '.bash_history',
  '.ssh/id_ed25519',
  '.config/gh/hosts.yml',
  '.gitconfig',
];

function filesUnder(directory: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name === '.git') continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path));
    else found.push(path);
  }
  return found;
}

const suite = sandboxSuitesRun() ? describe : describe.skip;

suite('a sandboxed test cannot reach the host', () => {
  let base: string;
  let home: string;
  let checkout: string;
  let dataDir: string;
  let worktree: string;
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    base = mkdtempSync(join(hostileDirectory, '.scratch-escape-'));
    home = join(base, 'home');
    for (const path of plantedInHome) {
      const content = `PLANTED-${path.replace(/[^a-z]/gi, '')}-${randomBytes(6).toString('hex')}\n`;
      mkdirSync(dirname(join(home, path)), { recursive: true });
      writeFileSync(join(home, path), content);
      secrets.set(join(home, path), content);
    }
    checkout = join(home, 'src', 'project');
    await createHostileRepository(checkout, { 'README.md': '# demo\n' });
    const envContent = `OPENAI_API_KEY=PLANTED-checkout-env-${randomBytes(6).toString('hex')}\n`;
    writeFileSync(join(checkout, '.env'), envContent);
    secrets.set(join(checkout, '.env'), envContent);
    dataDir = join(home, '.local', 'share', 'orchestrator');
    const workspace = await new GitWorkspaceProvider({ dataDir }).open({
      repo: checkout,
      runId: 'r-escape',
      slug: 'x',
    });
    worktree = workspace.root;
  });

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  function sandbox() {
    return createSandbox({
      hostEnvironment: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      hostHome: home,
      hiddenPaths: [dataDir],
    });
  }

  it('reads nothing under the home directory but the worktree, nor /etc/shadow, nor the checkout .env', async () => {
    const targets = [...secrets.keys(), join(checkout, '.git', 'config'), '/etc/shadow'];
    const script = [
      'cat README.md',
      ...targets.map((path) => `cat '${path}'; echo "status=$? ${path}"`),
      `ls -laR '${home}' 2>&1 | head -50`,
      // An exfiltration attempt: encode whatever was readable into a file the run would commit.
      ...targets.map((path) => `base64 '${path}' >> leak.txt 2>/dev/null`),
      'echo SCRIPT-RAN',
    ].join('\n');
    const result = await sandbox().run(script, { cwd: worktree });
    const output = `${result.stdout.text}\n${result.stderr.text}`;
    expect(result.stdout.text).toContain('SCRIPT-RAN');
    expect(result.stdout.text).toContain('# demo');
    for (const [path, content] of secrets) {
      expect(output, `${relative(base, path)} was readable`).not.toContain(content.trim());
      expect(output).toContain(`status=1 ${path}`);
    }
    expect(output).toContain(`status=1 /etc/shadow`);
    expect(output).toMatch(/\/etc\/shadow: No such file or directory/);
    for (const file of filesUnder(worktree)) {
      const text = readFileSync(file, 'utf8');
      for (const content of secrets.values()) {
        expect(text).not.toContain(content.trim());
        expect(text).not.toContain(Buffer.from(content).toString('base64').slice(0, 24));
      }
    }
  });

  it('runs a toolchain installed under the home, with the rest of the home and the toolchain credentials hidden', async () => {
    // A cargo-like toolchain in ~/.cargo: the sandbox binds ~/.cargo read-only, and masks its credentials file.
    const tool = join(home, '.cargo', 'bin', 'hostiletool');
    mkdirSync(dirname(tool), { recursive: true });
    writeFileSync(
      tool,
      `#!/bin/sh\necho TOOL-RAN\ncat '${home}/.cargo/credentials.toml'\ncat '${home}/.aws/credentials'\n`,
    );
    chmodSync(tool, 0o755);
    const credentials = `PLANTED-cargo-token-${randomBytes(6).toString('hex')}\n`;
    writeFileSync(join(home, '.cargo', 'credentials.toml'), credentials);
    const result = await createSandbox({
      hostEnvironment: { PATH: `${dirname(tool)}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home },
      hostHome: home,
      hiddenPaths: [dataDir],
    }).run('hostiletool', { cwd: worktree });
    const output = `${result.stdout.text}\n${result.stderr.text}`;
    expect(result.stdout.text, result.stderr.text).toContain('TOOL-RAN');
    expect(output).not.toContain(credentials.trim());
    expect(output).not.toContain(secrets.get(join(home, '.aws/credentials'))!.trim());
  });

  it('cannot open any Unix socket: not PostgreSQL in /run, not one the host listens on inside the worktree', async () => {
    const connections: string[] = [];
    const listen = (path: string) =>
      new Promise<Server>((resolve, reject) => {
        const server = createServer((socket) => {
          connections.push(path);
          socket.on('error', () => {});
          socket.end('hello');
        });
        // A socket path is limited to 107 bytes and a clone may live deep: listen by a short path relative to the
        // socket's folder (the probe connects the same way, from the worktree).
        const previous = process.cwd();
        process.chdir(dirname(path));
        try {
          server.on('error', reject).listen(basename(path), () => resolve(server));
        } finally {
          process.chdir(previous);
        }
      });
    const servers = [await listen(join(worktree, 'host.sock')), await listen(join(base, 'outside.sock'))];
    const inWorktree = 'host.sock';
    const outside = relative(worktree, join(base, 'outside.sock'));
    const targets = ['/run/postgresql/.s.PGSQL.5432', '/var/run/postgresql/.s.PGSQL.5432', inWorktree, outside];
    writeFileSync(
      join(worktree, 'probe.cjs'),
      [
        "const net = require('node:net');",
        "const { execFileSync } = require('node:child_process');",
        `const targets = ${JSON.stringify(targets)};`,
        "execFileSync('true'); console.log('SPAWN-OK');",
        'let pending = targets.length + 1;',
        'const done = () => { pending -= 1; if (pending === 0) process.exit(0); };',
        'for (const path of targets) {',
        "  net.connect(path).on('connect', () => { console.log('CONNECTED ' + path); done(); })",
        "    .on('error', (error) => { console.log('BLOCKED ' + error.code + ' ' + path); done(); });",
        '}',
        "const own = net.createServer().on('error', (error) => { console.log('LISTEN-BLOCKED ' + error.code); done(); });",
        "own.listen('/tmp/own.sock', () => { console.log('LISTENING'); done(); });",
      ].join('\n'),
    );
    try {
      const result = await sandbox().run('node probe.cjs', { cwd: worktree });
      const output = result.stdout.text;
      expect(output, result.stderr.text).toContain('SPAWN-OK');
      for (const path of targets) expect(output).toContain(` ${path}\n`);
      expect(output).not.toContain('CONNECTED');
      expect(output).toContain('LISTEN-BLOCKED');
      expect(output).not.toContain('LISTENING');
      // The socket in the worktree is reachable by path: only the seccomp filter can refuse it.
      expect(output).toMatch(new RegExp(`BLOCKED EPERM ${inWorktree}`));
      expect(connections).toEqual([]);
    } finally {
      for (const server of servers) await new Promise((resolve) => server.close(resolve));
    }
  });
});

if (!sandboxSuitesRun()) {
  describe('a sandboxed test cannot reach the host', () => {
    it.skip(sandboxSkipMessage, () => {});
  });
}
