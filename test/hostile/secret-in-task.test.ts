// A task (and a label) carrying an AWS key pair and a GitHub token, through the real CLI with --open-pr: the models
// answer from a local OpenAI-compatible server that records every request. None of the secrets may reach the prompt
// sent to the model, the branch name, the commit message, the pull request (local forge), any file in the data
// directory (journal and forge databases included), `runs list --json`, or the terminal.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ScriptedModel } from '@orchestrator/testing';
import { type ReplayServer, scriptedWireResponder, startReplayServer } from '@orchestrator/testing/replay-server/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = new URL('../../apps/orchestrator/src/bin.ts', import.meta.url).pathname;
// Built from parts so no scanner flags this file; realistic shapes: AKIA + 16, 40 characters of base64, ghp_ + 36.
const awsAccessKeyId = ['AKIA', 'Q3EGRTWJ5ZPLM7XK'].join('');
const awsSecretKey = ['wJalrXUtnFEMI', '/K7MDENG/bPxRfi', 'CYzq3Lm8Tv2Q'].join('');
const githubToken = ['ghp_', 'R8xVq2LmN5tY7wK3pZ9bC4dF6gH1jS0aE2uI'].join('');
const secrets = { awsAccessKeyId, awsSecretKey, githubToken };
// The secrets come first, so a branch name derived from the raw task would hold them (slugs keep the first words).
const task = `use ${awsAccessKeyId} ${awsSecretKey} and ${githubToken} to add a README section on deploying to AWS`;

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every file under `root`: its path and its bytes (as latin1, so any byte sequence compares). */
function everyFile(root: string): string {
  const parts: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats === undefined) continue;
      parts.push(relative(root, path));
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile()) parts.push(readFileSync(path).toString('latin1'));
    }
  };
  walk(root);
  return parts.join('\n');
}

/** The secrets found in `text`: whole, or (for derived names such as branches) lower-cased, or as long fragments. */
function leaksIn(text: string): string[] {
  const lower = text.toLowerCase();
  return Object.entries(secrets)
    .filter(
      ([, secret]) =>
        text.includes(secret) ||
        lower.includes(secret.toLowerCase()) ||
        (secret.match(/[A-Za-z0-9]{8,}/g) ?? []).some((fragment) => lower.includes(fragment.toLowerCase())),
    )
    .map(([name]) => name);
}

let endpoint: ReplayServer;
let echoing: ReplayServer;
beforeAll(async () => {
  endpoint = await startReplayServer({ respond: scriptedWireResponder(new ScriptedModel()) });
  // A model whose plan carries an AWS key pair (as if it echoed one from a file it saw).
  const scripted = scriptedWireResponder(new ScriptedModel());
  echoing = await startReplayServer({
    respond: async (request) => {
      const exchange = await scripted(request);
      if (exchange === undefined) return undefined;
      const body = exchange.response.body
        .toString('utf8')
        .replaceAll('Append a', `Append (deploy key ${awsAccessKeyId} ${awsSecretKey}) a`);
      return { ...exchange, response: { ...exchange.response, body: Buffer.from(body, 'utf8') } };
    },
  });
});
afterAll(async () => {
  await endpoint.close();
  await echoing.close();
});

function gitRepository(): string {
  const repo = realpathSync(mkdtempSync(join(tmpdir(), 'orchestrator-secret-task-repo-')));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), '# app\n');
  writeFileSync(join(repo, 'package.json'), '{ "name": "app", "version": "1.0.0", "license": "MIT" }\n');
  git('add', '--all');
  git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'initial');
  return repo;
}

/** The user's environment: a fresh orchestrator home, every role on the OpenAI-compatible server at `url`. */
function userEnvironment(url: string): { env: NodeJS.ProcessEnv; home: string } {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'orchestrator-secret-task-home-')));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ORCHESTRATOR_HOME: home,
    OPENAI_API_KEY: 'sk-user-key-for-the-local-endpoint',
    OPENAI_BASE_URL: `${url}/v1`,
    NO_COLOR: '1',
  };
  for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'DATABASE_URL', 'MAX_USD', 'GITHUB_TOKEN']) {
    delete env[name];
  }
  return { env, home };
}

describe('secrets in the task and the labels', () => {
  it('reach no prompt, branch, commit, pull request, journal, run list or terminal', { timeout: 300_000 }, async () => {
    const repo = gitRepository();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    const { env, home } = userEnvironment(endpoint.url);

    const run = await cli(
      ['run', task, '--repo', repo, '--open-pr', '--label', `ticket=${githubToken}`, '--json'],
      env,
      repo,
    );
    expect(run.stdout, run.stderr).toContain('"status": "converged"');
    const result = JSON.parse(run.stdout) as {
      runId: string;
      branch: string;
      pullRequest?: { number: number; headBranch: string };
    };
    expect(result.pullRequest?.number).toBeGreaterThan(0);

    const prompts = endpoint.requests.map((request) => JSON.stringify(request.body)).join('\n');
    expect(prompts).toContain('README');
    const commitMessage = git('log', '-1', '--format=%B', result.branch);
    const branches = git('for-each-ref', '--format=%(refname)');
    const pullRequest = await cli(
      ['pr', 'show', String(result.pullRequest?.number), '--repo', repo, '--json'],
      env,
      repo,
    );
    const runs = await cli(['runs', 'list', '--repo', repo, '--json'], env, repo);

    expect({
      prompts: leaksIn(prompts),
      branch: leaksIn(`${result.branch}\n${result.pullRequest?.headBranch}\n${branches}`),
      commitMessage: leaksIn(commitMessage),
      pullRequest: leaksIn(pullRequest.stdout),
      dataDirectory: leaksIn(everyFile(home)),
      runsList: leaksIn(runs.stdout),
      terminal: leaksIn(`${run.stdout}\n${run.stderr}`),
    }).toEqual({
      prompts: [],
      branch: [],
      commitMessage: [],
      pullRequest: [],
      dataDirectory: [],
      runsList: [],
      terminal: [],
    });
    expect(pullRequest.status, `${pullRequest.stdout}${pullRequest.stderr}`).toBe(0);
    expect(pullRequest.stdout).toContain('orchestrator-provenance');
    expect(runs.status, runs.stderr).toBe(0);
    expect(runs.stdout).toContain(result.runId);
    // The run said so, and its branch carries the fingerprint that stands in for the secrets.
    expect(run.stderr).toContain('held a secret');
    expect(result.branch).toContain('redacted-akia-sha256-');
  });

  it('a secret in a model reply reaches no later prompt, journal, terminal, commit or pull request', {
    timeout: 300_000,
  }, async () => {
    const repo = gitRepository();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    const { env, home } = userEnvironment(echoing.url);
    const before = echoing.requests.length;

    const run = await cli(['run', 'add a README section', '--repo', repo, '--open-pr', '--json'], env, repo);
    expect(run.stdout, run.stderr).toContain('"status": "converged"');
    const result = JSON.parse(run.stdout) as { runId: string; branch: string; pullRequest?: { number: number } };
    const laterPrompts = echoing.requests
      .slice(before + 1)
      .map((request) => JSON.stringify(request.body))
      .join('\n');
    const pullRequest = await cli(
      ['pr', 'show', String(result.pullRequest?.number), '--repo', repo, '--json'],
      env,
      repo,
    );
    const shown = await cli(['runs', 'show', result.runId, '--repo', repo, '--json'], env, repo);
    const pair = (text: string) => leaksIn(text).filter((name) => name !== 'githubToken');
    expect({
      laterPrompts: pair(laterPrompts),
      dataDirectory: pair(everyFile(home)),
      terminal: pair(`${run.stdout}\n${run.stderr}`),
      commitMessage: pair(git('log', '-1', '--format=%B', result.branch)),
      pullRequest: pair(pullRequest.stdout),
      runsShow: pair(shown.stdout),
    }).toEqual({ laterPrompts: [], dataDirectory: [], terminal: [], commitMessage: [], pullRequest: [], runsShow: [] });
    // The reply did carry the pair: its redacted fingerprint is what the later turns saw.
    expect(laterPrompts).toContain('[REDACTED AKIA');
    expect(pullRequest.status, pullRequest.stderr).toBe(0);
    expect(shown.status, shown.stderr).toBe(0);
  });
});
