import type { GitHubPayloads, StandInPull } from './github-payloads.ts';
import type { StandInGit } from './stand-in-git.ts';

export interface StandInRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  accept: string;
}

export interface StandInResponse {
  status: number;
  /** JSON body (validated against the OpenAPI description). */
  body?: unknown;
  /** Plain-text body (diffs), not validated. */
  text?: string;
  /** Array bodies of list operations are paginated by the server. */
  paginate?: boolean;
}

/** What the routes share: the repository's pull requests, reviews and statuses, backed by a bare git repository. */
export interface StandInState {
  owner: string;
  repo: string;
  git: StandInGit;
  payloads: GitHubPayloads;
  pulls: Map<number, StandInPull>;
  reviews: Map<number, Array<Record<string, unknown>>>;
  statuses: Map<string, Map<string, Record<string, unknown>>>;
  nextId(): number;
  now(): string;
}

export interface Route {
  method: string;
  /** Path template exactly as in GitHub's OpenAPI description. */
  template: string;
  handle(request: StandInRequest, state: StandInState): StandInResponse;
}

const documentationUrl = 'https://docs.github.com/rest';
const notFound = (): StandInResponse => ({
  status: 404,
  body: { message: 'Not Found', documentation_url: documentationUrl },
});
const validationFailed = (errors: Array<Record<string, unknown>>): StandInResponse => ({
  status: 422,
  body: { message: 'Validation Failed', errors, documentation_url: documentationUrl },
});

function pullOf(request: StandInRequest, state: StandInState): StandInPull | undefined {
  return state.pulls.get(Number(request.params.pull_number ?? request.params.issue_number));
}

function touch(pull: StandInPull, state: StandInState): void {
  pull.updatedAt = state.now();
}

export const routes: Route[] = [
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/git/ref/{ref}',
    handle(request, state) {
      const ref = request.params.ref ?? '';
      const sha = state.git.refSha(ref);
      return sha === undefined ? notFound() : { status: 200, body: state.payloads.gitRef(`refs/${ref}`, sha) };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/git/refs',
    handle(request, state) {
      const ref = String(request.body.ref ?? '');
      const sha = String(request.body.sha ?? '');
      if (!ref.startsWith('refs/') || ref.split('/').length < 3) {
        return validationFailed([{ resource: 'Reference', field: 'ref', code: 'invalid' }]);
      }
      if (!state.git.hasCommit(sha))
        return validationFailed([
          { resource: 'Reference', field: 'sha', code: 'invalid', message: 'Object does not exist' },
        ]);
      if (state.git.refSha(ref.slice('refs/'.length)) !== undefined) {
        return validationFailed([
          { resource: 'Reference', code: 'already_exists', message: 'Reference already exists' },
        ]);
      }
      state.git.setRef(ref.slice('refs/'.length), sha);
      return { status: 201, body: state.payloads.gitRef(ref, sha) };
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/git/refs/{ref}',
    handle(request, state) {
      const ref = request.params.ref ?? '';
      const sha = String(request.body.sha ?? '');
      const current = state.git.refSha(ref);
      if (current === undefined)
        return validationFailed([{ resource: 'Reference', code: 'missing', message: 'Reference does not exist' }]);
      if (!state.git.hasCommit(sha))
        return validationFailed([
          { resource: 'Reference', field: 'sha', code: 'invalid', message: 'Object does not exist' },
        ]);
      if (request.body.force !== true && !state.git.isAncestor(current, sha)) {
        return validationFailed([{ resource: 'Reference', code: 'custom', message: 'Update is not a fast forward' }]);
      }
      state.git.setRef(ref, sha);
      return { status: 200, body: state.payloads.gitRef(`refs/${ref}`, sha) };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls',
    handle(request, state) {
      const wanted = request.query.get('state') ?? 'open';
      const head = request.query.get('head');
      const base = request.query.get('base');
      const pulls = [...state.pulls.values()]
        .filter((pull) => wanted === 'all' || pull.state === wanted)
        .filter((pull) => head === null || `${state.owner}:${pull.head}` === head)
        .filter((pull) => base === null || pull.base === base)
        .sort((left, right) => right.number - left.number);
      return { status: 200, body: pulls.map((pull) => state.payloads.pull(pull)), paginate: true };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/pulls',
    handle(request, state) {
      const head = String(request.body.head ?? '').replace(`${state.owner}:`, '');
      const base = String(request.body.base ?? '');
      const headSha = state.git.refSha(`heads/${head}`);
      const baseSha = state.git.refSha(`heads/${base}`);
      if (typeof request.body.title !== 'string' || request.body.title === '') {
        return validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
      }
      if (headSha === undefined) return validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
      if (baseSha === undefined) return validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      if ([...state.pulls.values()].some((pull) => pull.state === 'open' && pull.head === head)) {
        return validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${state.owner}:${head}.`,
          },
        ]);
      }
      const number = state.pulls.size + 1;
      const now = state.now();
      const pull: StandInPull = {
        number,
        id: state.nextId(),
        title: request.body.title,
        body: typeof request.body.body === 'string' ? request.body.body : null,
        base,
        baseSha,
        head,
        headSha,
        state: 'open',
        draft: request.body.draft === true,
        labels: [],
        reviewers: [],
        createdAt: now,
        updatedAt: now,
        closedAt: null,
        mergedAt: null,
        mergeCommitSha: null,
      };
      state.pulls.set(number, pull);
      return { status: 201, body: state.payloads.pull(pull) };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handle(request, state) {
      const pull = pullOf(request, state);
      if (pull === undefined) return notFound();
      pull.headSha = state.git.refSha(`heads/${pull.head}`) ?? pull.headSha;
      if (request.accept.includes('diff')) return { status: 200, text: state.git.diff(pull.base, pull.head) };
      return { status: 200, body: state.payloads.pull(pull) };
    },
  },
  {
    method: 'PATCH',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}',
    handle(request, state) {
      const pull = pullOf(request, state);
      if (pull === undefined) return notFound();
      if (typeof request.body.title === 'string') pull.title = request.body.title;
      if (typeof request.body.body === 'string') pull.body = request.body.body;
      if (request.body.state === 'closed' && pull.state === 'open') {
        pull.state = 'closed';
        pull.closedAt = state.now();
      }
      touch(pull, state);
      return { status: 200, body: state.payloads.pull(pull) };
    },
  },
  {
    method: 'PUT',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    handle(request, state) {
      const pull = pullOf(request, state);
      if (pull === undefined) return notFound();
      const baseSha = state.git.refSha(`heads/${pull.base}`);
      const headSha = state.git.refSha(`heads/${pull.head}`);
      const merged =
        pull.state === 'open' && baseSha !== undefined && headSha !== undefined
          ? state.git.merge(baseSha, headSha, String(request.body.commit_title ?? `Merge pull request #${pull.number}`))
          : undefined;
      if (merged === undefined) {
        return { status: 405, body: { message: 'Pull Request is not mergeable', documentation_url: documentationUrl } };
      }
      state.git.setRef(`heads/${pull.base}`, merged);
      const now = state.now();
      Object.assign(pull, { state: 'closed', closedAt: now, mergedAt: now, mergeCommitSha: merged, updatedAt: now });
      return { status: 200, body: { sha: merged, merged: true, message: 'Pull Request successfully merged' } };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handle(request, state) {
      const pull = pullOf(request, state);
      if (pull === undefined) return notFound();
      const labels = Array.isArray(request.body.labels) ? request.body.labels.map(String) : [];
      pull.labels = [...new Set([...pull.labels, ...labels])];
      touch(pull, state);
      return { status: 200, body: pull.labels.map((name) => state.payloads.label(name)) };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
    handle(request, state) {
      const pull = pullOf(request, state);
      if (pull === undefined) return notFound();
      const reviewers = Array.isArray(request.body.reviewers) ? request.body.reviewers.map(String) : [];
      pull.reviewers = [...new Set([...pull.reviewers, ...reviewers])];
      touch(pull, state);
      return { status: 201, body: state.payloads.pull(pull) };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    handle(request, state) {
      const pull = pullOf(request, state);
      if (pull === undefined) return notFound();
      const event = String(request.body.event ?? 'COMMENT');
      const reviewState = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED' }[event] ?? 'COMMENTED';
      const review = state.payloads.review({
        id: state.nextId(),
        login: state.owner,
        body: String(request.body.body ?? ''),
        state: reviewState,
        commitId: pull.headSha,
        pullNumber: pull.number,
        submittedAt: state.now(),
      });
      state.reviews.set(pull.number, [...(state.reviews.get(pull.number) ?? []), review]);
      return { status: 200, body: review };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    handle(request, state) {
      const pull = pullOf(request, state);
      if (pull === undefined) return notFound();
      return { status: 200, body: state.reviews.get(pull.number) ?? [], paginate: true };
    },
  },
  {
    method: 'POST',
    template: '/repos/{owner}/{repo}/statuses/{sha}',
    handle(request, state) {
      const sha = request.params.sha ?? '';
      const context = String(request.body.context ?? 'default');
      const stateValue = String(request.body.state ?? '');
      if (!['pending', 'success', 'failure', 'error'].includes(stateValue)) {
        return validationFailed([{ resource: 'Status', field: 'state', code: 'invalid' }]);
      }
      if (!state.git.hasCommit(sha)) return validationFailed([{ resource: 'Status', field: 'sha', code: 'invalid' }]);
      const status = state.payloads.status({
        id: state.nextId(),
        sha,
        state: stateValue,
        context,
        description: typeof request.body.description === 'string' ? request.body.description : null,
        at: state.now(),
      });
      const byContext = state.statuses.get(sha) ?? new Map();
      byContext.set(context, status);
      state.statuses.set(sha, byContext);
      return { status: 201, body: status };
    },
  },
  {
    method: 'GET',
    template: '/repos/{owner}/{repo}/commits/{ref}/status',
    handle(request, state) {
      const ref = request.params.ref ?? '';
      const sha = /^[0-9a-f]{40}$/.test(ref) ? ref : state.git.refSha(`heads/${ref}`);
      if (sha === undefined) return notFound();
      return { status: 200, body: state.payloads.combinedStatus(sha, [...(state.statuses.get(sha)?.values() ?? [])]) };
    },
  },
];
