import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubPayloads, type StandInPull } from './github-payloads.ts';
import { type Route, routes, type StandInResponse, type StandInState } from './github-stand-in-routes.ts';
import { OpenApiResponseValidator } from './openapi-response-validator.ts';
import { StandInGit } from './stand-in-git.ts';

export interface GitHubStandInOptions {
  owner?: string;
  repo?: string;
  /** The only token accepted (`Authorization: token …` or `Bearer …`); anything else gets GitHub's 401. */
  token?: string;
  /** Caps `per_page` so tests exercise pagination with few items (GitHub caps at 100). */
  maxPerPage?: number;
  /** Fixed clock for deterministic payloads. */
  now?: () => string;
}

/** One request the stand-in answered (never its headers: they hold the token). */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The OpenAPI path template it matched, or undefined. */
  template?: string;
  status: number;
}

/** A canned failure served instead of the next matching request (for retry and rate-limit behaviour). */
export interface InjectedFailure {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface GitHubStandIn {
  /** REST base URL to give Octokit, e.g. `http://127.0.0.1:41234`. */
  readonly baseUrl: string;
  /** Where `git push` goes: a bare repository path standing in for `https://github.com/<owner>/<repo>.git`. */
  readonly gitUrl: string;
  /** `owner/repo`. */
  readonly repository: string;
  readonly token: string;
  /** Every request answered, in order. */
  readonly requests: RecordedRequest[];
  /** Responses that did not match GitHub's OpenAPI description; a correct stand-in keeps this empty. */
  readonly contractViolations: string[];
  /** Pull requests as stored. */
  readonly pulls: ReadonlyMap<number, StandInPull>;
  /** Serves `failures` (in order) to the next requests matching method and template. */
  failNext(method: string, template: string, failures: InjectedFailure[]): void;
  close(): Promise<void>;
}

function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => {
      const name = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (name === undefined) return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      // Git refs contain slashes; every other parameter is one segment.
      return name === 'ref' ? `(?<${name}>.+?)` : `(?<${name}>[^/]+)`;
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

const compiledRoutes = routes.map((route) => ({ route, pattern: templatePattern(route.template) }));

function match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const { route, pattern } of compiledRoutes) {
    if (route.method !== method) continue;
    const found = pattern.exec(path);
    if (found === null) continue;
    const params = Object.fromEntries(
      Object.entries(found.groups ?? {}).map(([key, value]) => [key, decodeURIComponent(value)]),
    );
    return { route, params };
  }
  return undefined;
}

async function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  const parsed = JSON.parse(text) as unknown;
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/**
 * Starts a local server on 127.0.0.1 that follows GitHub's REST contract for what the forge uses (refs, pull requests,
 * labels, reviewers, reviews, statuses), with real git underneath and every JSON response checked against GitHub's
 * OpenAPI description.
 */
export async function startGitHubStandIn(options: GitHubStandInOptions = {}): Promise<GitHubStandIn> {
  const owner = options.owner ?? 'octo-org';
  const repo = options.repo ?? 'sandbox';
  const token = options.token ?? 'ghs_standInToken000000000000000000000';
  const maxPerPage = options.maxPerPage ?? 100;
  const validator = OpenApiResponseValidator.shared();
  const git = new StandInGit(join(mkdtempSync(join(tmpdir(), 'github-stand-in-')), `${repo}.git`));
  const requests: RecordedRequest[] = [];
  const contractViolations: string[] = [];
  const failures = new Map<string, InjectedFailure[]>();
  let idCounter = 1000;
  const urls = { api: '', web: 'https://github.com', owner, repo };
  const state: StandInState = {
    owner,
    repo,
    git,
    payloads: new GitHubPayloads(validator, urls),
    pulls: new Map(),
    reviews: new Map(),
    statuses: new Map(),
    nextId: () => {
      idCounter += 1;
      return idCounter;
    },
    now: options.now ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
  };

  const send = (response: ServerResponse, outcome: StandInResponse, headers: Record<string, string> = {}) => {
    if (outcome.text !== undefined) {
      response.writeHead(outcome.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      response.end(outcome.text);
      return;
    }
    response.writeHead(outcome.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(outcome.body === undefined ? '' : JSON.stringify(outcome.body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', urls.api);
    const method = request.method ?? 'GET';
    const authorization = request.headers.authorization ?? '';
    const record = (status: number, template?: string) =>
      requests.push({ method, path: url.pathname, ...(template === undefined ? {} : { template }), status });
    if (authorization !== `token ${token}` && authorization !== `Bearer ${token}`) {
      record(401);
      send(response, {
        status: 401,
        body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
      });
      return;
    }
    const found = match(method, url.pathname);
    const prefix = `/repos/${owner}/${repo}/`;
    if (found === undefined || !url.pathname.startsWith(prefix)) {
      record(404);
      send(response, {
        status: 404,
        body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
      });
      return;
    }
    const { route, params } = found;
    const queued = failures.get(`${method} ${route.template}`);
    const failure = queued?.shift();
    if (failure !== undefined) {
      record(failure.status, route.template);
      send(
        response,
        { status: failure.status, body: failure.body ?? { message: 'Injected failure' } },
        failure.headers,
      );
      return;
    }
    const body = await readBody(request);
    const outcome = route.handle(
      { method, params, query: url.searchParams, body, accept: String(request.headers.accept ?? '') },
      state,
    );
    const headers: Record<string, string> = {};
    if (outcome.paginate === true && Array.isArray(outcome.body)) {
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, maxPerPage);
      const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
      const lastPage = Math.max(Math.ceil(outcome.body.length / perPage), 1);
      outcome.body = outcome.body.slice((page - 1) * perPage, page * perPage);
      const link = (target: number, rel: string) => {
        const next = new URL(url);
        next.searchParams.set('per_page', String(perPage));
        next.searchParams.set('page', String(target));
        return `<${next.href}>; rel="${rel}"`;
      };
      const links = [
        ...(page < lastPage ? [link(page + 1, 'next'), link(lastPage, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
      ];
      if (links.length > 0) headers.link = links.join(', ');
    }
    if (outcome.text === undefined) {
      contractViolations.push(...validator.validate(method, route.template, outcome.status, outcome.body));
    }
    record(outcome.status, route.template);
    send(response, outcome, headers);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      contractViolations.push(`stand-in crashed: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Server Error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  urls.api = `http://127.0.0.1:${port}`;

  return {
    baseUrl: urls.api,
    gitUrl: git.path,
    repository: `${owner}/${repo}`,
    token,
    requests,
    contractViolations,
    pulls: state.pulls,
    failNext(method, template, injected) {
      failures.set(`${method} ${template}`, [...(failures.get(`${method} ${template}`) ?? []), ...injected]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
