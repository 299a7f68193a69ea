import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewJournalEvent } from '@orchestrator/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policySecretRedactor } from '../../apps/orchestrator/src/compose/secret-redactor.ts';
import { type OpenedApiServer, openApiServer } from '../../apps/orchestrator/src/server/open-api-server.ts';

/** A GitHub token shaped literal, built at run time so no scanner flags this file. */
const secret = `${['g', 'h', 'p'].join('')}_${'aZ3kQ9xW7mP2'.repeat(3)}`;

/** Database files as SQLite leaves them: the file and its write-ahead log, shared memory and rollback journal. */
const databaseFile = /\.(db|sqlite)(-wal|-shm|-journal)?$/;

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** A user-only environment for the server's run children: scripted models, SQLite in the data directory. */
function childEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' };
}

interface Exchange {
  status: number;
  text: string;
}

/** One HTTP exchange with full control of the headers (fetch cannot set Host) and of the request target. */
function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; chunked?: boolean },
): Promise<Exchange> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path ?? target.pathname + target.search,
        headers: options.headers ?? {},
        setHost: options.headers?.host === undefined,
        // A connection of its own: a server that refused a body may close the connection it came on.
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    if (options.body !== undefined && options.chunked === true) {
      // Written in pieces without a content-length: the limit must count what arrives, not trust a header.
      for (let at = 0; at < options.body.length; at += 64 * 1024)
        outgoing.write(options.body.slice(at, at + 64 * 1024));
    } else if (options.body !== undefined) outgoing.write(options.body);
    outgoing.end();
  });
}

/** Reads a run's event stream until `done` says the text so far is complete, then closes it. */
async function readStream(url: string, token: string, done: (text: string) => boolean): Promise<string> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  controller.abort();
  await reader.cancel().catch(() => {});
  return text;
}

function seededRun(repo: string): NewJournalEvent[] {
  return [
    {
      type: 'run-start',
      data: {
        task: 'add a README section',
        repo,
        slug: 'add-a-readme-section',
        labels: {},
        roles: [{ role: 'builder', provider: 'scripted', model: 'scripted-v1', maxOutputTokens: 1024 }],
        limits: { maxTurns: 4, maxRejections: 2, maxRepairAttempts: 1, maxMinutes: 5 },
      },
    },
    { type: 'step-start', stepId: 'turn-1', data: { role: 'builder', turn: 1, kind: 'implement' } },
    { type: 'approval-request', data: { approvalId: 'paths-1', gate: 'risky-path', reason: 'touches CI files' } },
  ];
}

describe('a secret sent through every API route that accepts text', () => {
  const home = mkdtempSync(join(tmpdir(), 'hostile-api-'));
  const dataDir = join(home, 'data');
  const responses: string[] = [];
  let opened: OpenedApiServer;

  async function api(method: string, path: string, body?: unknown): Promise<Exchange> {
    const response = await fetch(`${opened.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${opened.token.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const exchange = { status: response.status, text: await response.text() };
    responses.push(exchange.text);
    return exchange;
  }

  beforeAll(async () => {
    // The literal is one the scanner knows: without this the test could pass by sending a harmless string.
    expect((await policySecretRedactor(secret)).found).toBe(true);
    opened = await openApiServer({
      dataDir,
      port: 0,
      launcher: { env: childEnv(home), runArgs: ['--open-pr'] },
    });

    // A run started through the API: the task and a label carry the secret into a real `orchestrator run`.
    const started = await api('POST', '/api/runs', {
      task: `add a README section; the deploy token is ${secret}`,
      labels: { ticket: secret },
    });
    expect(started.status).toBe(202);
    const { runId } = JSON.parse(started.text) as { runId: string };
    const launched = await readStream(`${opened.server.url}/api/runs/${runId}/stream`, opened.token.token, (text) =>
      text.includes('event: stream-end'),
    );
    responses.push(launched);
    await opened.launcher?.settled();

    // A run waiting on a step and an approval, so every control route has something to act on.
    await opened.store.createRun('r-seeded', {});
    await opened.store.append('r-seeded', seededRun(join(home, 'no-such-repository')));
    expect(
      (await api('POST', '/api/runs/r-seeded/instruction', { instruction: `use ${secret}`, role: 'builder' })).status,
    ).toBe(200);
    expect((await api('POST', '/api/runs/r-seeded/steps/turn-1/rerun', { reason: `leaked ${secret}` })).status).toBe(
      200,
    );
    const decided = await api('POST', '/api/runs/r-seeded/approvals/paths-1', { decision: 'approve', comment: secret });
    expect(decided.status).toBe(200);
    expect((await api('POST', '/api/runs/r-seeded/pause', { detail: `paused, token ${secret}` })).status).toBe(200);
    expect(
      (await api('POST', '/api/runs/r-seeded/resume', { changes: { instruction: `resume with ${secret}` } })).status,
    ).toBe(200);
    await opened.launcher?.settled();
    // Refusals that could echo what the client sent: a path parameter, an unknown field, a label filter.
    expect((await api('POST', `/api/runs/${secret}/pause`, {})).status).toBe(404);
    expect((await api('POST', `/api/runs/r-seeded/approvals/${secret}`, { decision: 'reject' })).status).toBe(404);
    expect((await api('POST', '/api/runs/r-seeded/instruction', { instruction: 'x', [secret]: secret })).status).toBe(
      400,
    );
    await api('GET', `/api/runs?label=ticket:${secret}`);

    // Everything the API can show about both runs.
    for (const path of ['/api/runs', '/api/spend', '/api/errors']) await api('GET', path);
    for (const id of [runId, 'r-seeded']) {
      for (const view of ['', '/events', '/timeline', '/spans']) await api('GET', `/api/runs/${id}${view}`);
    }
    const lastSeq = (JSON.parse((await api('GET', '/api/runs/r-seeded/events')).text) as { lastSeq: number }).lastSeq;
    responses.push(
      await readStream(`${opened.server.url}/api/runs/r-seeded/stream`, opened.token.token, (text) =>
        text.includes(`id: ${lastSeq}\n`),
      ),
    );
    await opened.close();
    // A full run through a child process: generous on a slow, loaded machine (nothing here waits on a clock).
  }, 600_000);

  afterAll(async () => {
    await opened?.close().catch(() => {});
  });

  it('reaches no database file (journal, budget, cache, forge, index), WAL included; fingerprints do', () => {
    const files = filesUnder(dataDir).filter((file) => databaseFile.test(file));
    expect(files.map((file) => file.slice(dataDir.length))).toContain('/journal.db');
    const holding = files.filter((file) => readFileSync(file).includes(secret));
    expect(holding).toEqual([]);
    // The text did arrive: the journal holds the redacted fingerprint where the secret was.
    const journal = files
      .filter((file) => file.includes('journal.db'))
      .map((file) => readFileSync(file).toString('latin1'));
    expect(journal.join('\n')).toContain('[REDACTED ghp_');
  });

  it('reaches no other file of the data directory either (run logs, token, forge, worktrees)', () => {
    const holding = filesUnder(dataDir).filter((file) => readFileSync(file).includes(secret));
    expect(holding.map((file) => file.slice(dataDir.length))).toEqual([]);
  });

  it('appears in no response body or event stream', () => {
    expect(responses.length).toBeGreaterThan(20);
    const leaking = responses.filter((text) => text.includes(secret));
    expect(leaking.map((text) => text.slice(0, 200))).toEqual([]);
    expect(responses.join('\n')).toContain('[REDACTED ghp_');
  });

  it('leaves every database file user-only (0600) in user-only directories (0700)', () => {
    const files = filesUnder(dataDir).filter((file) => databaseFile.test(file));
    const kinds = files.map((file) =>
      file
        .slice(dataDir.length + 1)
        .split('/')[0]
        ?.replace(/-(wal|shm|journal)$/, ''),
    );
    expect(new Set(kinds)).toEqual(new Set(['journal.db', 'forge', 'index']));
    const loose = [...files, ...files.map((file) => join(file, '..'))]
      .map((path) => ({ path: path.slice(dataDir.length) || '/', mode: (statSync(path).mode & 0o777).toString(8) }))
      .filter(({ path, mode }) => mode !== (databaseFile.test(path) ? '600' : '700'));
    expect(loose).toEqual([]);
  });
});

describe('API hardening against a hostile client', () => {
  let opened: OpenedApiServer;
  const authorization = () => `Bearer ${opened.token.token}`;

  beforeAll(async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'hostile-limits-')), 'data');
    opened = await openApiServer({ dataDir, port: 0, maxStreams: 2, allowedHosts: ['orchestrator.lan'] });
    await opened.store.createRun('r-1', {});
    await opened.store.append('r-1', seededRun('/nowhere'));
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('answers 413 with a JSON error to an authenticated body over the limit, chunked or not', async () => {
    const body = JSON.stringify({ instruction: 'x'.repeat(2 * 1024 * 1024) });
    const headers = { authorization: authorization(), 'content-type': 'application/json' };
    const url = `${opened.server.url}/api/runs/r-1/instruction`;
    for (const chunked of [false, true]) {
      const exchange = await rawRequest(url, { method: 'POST', headers, body, chunked });
      expect(exchange.status).toBe(413);
      expect(JSON.parse(exchange.text)).toMatchObject({ error: { code: 'api-body-too-large' } });
    }
    // Without the token the body is never read: the answer is 401.
    const anonymous = await rawRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(anonymous.status).toBe(401);
    expect((await opened.store.read('r-1')).map((event) => event.type)).not.toContain('instruction-edit');
  });

  it('answers 421 to a Host header that is neither loopback nor allowed (DNS rebinding), and serves the others', async () => {
    const port = new URL(opened.server.url).port;
    const get = (host: string, path?: string) =>
      rawRequest(`${opened.server.url}/api/runs`, {
        headers: { authorization: authorization(), host },
        ...(path === undefined ? {} : { path }),
      });
    for (const host of [`attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, 'localhost.evil']) {
      const refused = await get(host);
      expect(refused.status, host).toBe(421);
      expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'api-host-not-allowed' } });
    }
    // An absolute request target names the host too: it is checked as well.
    expect((await get(`127.0.0.1:${port}`, 'http://attacker.example/api/runs')).status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `orchestrator.lan:${port}`]) {
      expect((await get(host)).status, host).toBe(200);
    }
  });

  it('refuses an event stream beyond the cap with 429, and takes one again once a stream closes', async () => {
    const streamUrl = `${opened.server.url}/api/runs/r-1/stream`;
    const open = async () => {
      const controller = new AbortController();
      const response = await fetch(streamUrl, {
        headers: { authorization: authorization() },
        signal: controller.signal,
      });
      return { response, controller };
    };
    const first = await open();
    const second = await open();
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    const third = await open();
    expect(third.response.status).toBe(429);
    expect(await third.response.json()).toMatchObject({ error: { code: 'api-too-many-streams' } });
    first.controller.abort();
    // The server frees the slot when it sees the client leave; wait for that, however long it takes.
    let again = await open();
    while (again.response.status === 429) {
      await again.response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open();
    }
    expect(again.response.status).toBe(200);
    second.controller.abort();
    again.controller.abort();
  });
});
