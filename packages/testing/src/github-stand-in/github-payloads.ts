import type { OpenApiResponseValidator } from './openapi-response-validator.ts';

/** A pull request as the stand-in stores it. */
export interface StandInPull {
  number: number;
  id: number;
  title: string;
  body: string | null;
  base: string;
  baseSha: string;
  head: string;
  headSha: string;
  state: 'open' | 'closed';
  draft: boolean;
  labels: string[];
  reviewers: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

/** URLs of the stand-in, shaped like GitHub's (`api` for REST, `web` for html_url). */
export interface StandInUrls {
  api: string;
  web: string;
  owner: string;
  repo: string;
}

/**
 * Builds response payloads from GitHub's own documented examples, overriding what the stand-in knows, so every
 * field GitHub promises is present with a plausible value.
 */
export class GitHubPayloads {
  private readonly openApi: OpenApiResponseValidator;
  private readonly urls: StandInUrls;

  constructor(openApi: OpenApiResponseValidator, urls: StandInUrls) {
    this.openApi = openApi;
    this.urls = urls;
  }

  private get repoApi(): string {
    return `${this.urls.api}/repos/${this.urls.owner}/${this.urls.repo}`;
  }

  user(login: string): Record<string, unknown> {
    const user = this.openApi.example('pull-request').user as Record<string, unknown>;
    const id = [...login].reduce((sum, character) => sum * 31 + character.charCodeAt(0), 7) % 1_000_000;
    return {
      ...user,
      login,
      id,
      node_id: `U_${id}`,
      url: `${this.urls.api}/users/${login}`,
      html_url: `${this.urls.web}/${login}`,
    };
  }

  label(name: string): Record<string, unknown> {
    const id = [...name].reduce((sum, character) => sum * 31 + character.charCodeAt(0), 11) % 1_000_000;
    return {
      ...this.openApi.example('label'),
      id,
      node_id: `LA_${id}`,
      url: `${this.repoApi}/labels/${encodeURIComponent(name)}`,
      name,
      description: '',
      color: 'ededed',
      default: false,
    };
  }

  private branch(example: Record<string, unknown>, ref: string, sha: string): Record<string, unknown> {
    const repo = example.repo as Record<string, unknown>;
    return {
      ...example,
      label: `${this.urls.owner}:${ref}`,
      ref,
      sha,
      user: this.user(this.urls.owner),
      repo: {
        ...repo,
        name: this.urls.repo,
        full_name: `${this.urls.owner}/${this.urls.repo}`,
        owner: this.user(this.urls.owner),
        url: this.repoApi,
        html_url: `${this.urls.web}/${this.urls.owner}/${this.urls.repo}`,
        default_branch: 'main',
      },
    };
  }

  /** `pull-request` (single) or `pull-request-simple` (list item). */
  pull(pull: StandInPull): Record<string, unknown> {
    const example = this.openApi.example('pull-request');
    const self = `${this.repoApi}/pulls/${pull.number}`;
    const html = `${this.urls.web}/${this.urls.owner}/${this.urls.repo}/pull/${pull.number}`;
    const issue = `${this.repoApi}/issues/${pull.number}`;
    return {
      ...example,
      id: pull.id,
      node_id: `PR_${pull.id}`,
      number: pull.number,
      url: self,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: issue,
      commits_url: `${self}/commits`,
      review_comments_url: `${self}/comments`,
      review_comment_url: `${this.repoApi}/pulls/comments{/number}`,
      comments_url: `${issue}/comments`,
      statuses_url: `${this.repoApi}/statuses/${pull.headSha}`,
      state: pull.state,
      locked: false,
      title: pull.title,
      body: pull.body,
      user: this.user(this.urls.owner),
      labels: pull.labels.map((name) => this.label(name)),
      milestone: null,
      assignee: null,
      assignees: [],
      requested_reviewers: pull.reviewers.map((login) => this.user(login)),
      requested_teams: [],
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
      merged: pull.mergedAt !== null,
      merged_by: pull.mergedAt === null ? null : this.user(this.urls.owner),
      mergeable: pull.state === 'open' ? true : null,
      mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
      draft: pull.draft,
      head: this.branch(example.head as Record<string, unknown>, pull.head, pull.headSha),
      base: this.branch(example.base as Record<string, unknown>, pull.base, pull.baseSha),
      _links: {
        self: { href: self },
        html: { href: html },
        issue: { href: issue },
        comments: { href: `${issue}/comments` },
        review_comments: { href: `${self}/comments` },
        review_comment: { href: `${this.repoApi}/pulls/comments{/number}` },
        commits: { href: `${self}/commits` },
        statuses: { href: `${this.repoApi}/statuses/${pull.headSha}` },
      },
      auto_merge: null,
    };
  }

  gitRef(ref: string, sha: string): Record<string, unknown> {
    return {
      ref,
      node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
      url: `${this.repoApi}/git/${ref}`,
      object: { type: 'commit', sha, url: `${this.repoApi}/git/commits/${sha}` },
    };
  }

  review(options: {
    id: number;
    login: string;
    body: string;
    state: string;
    commitId: string;
    pullNumber: number;
    submittedAt: string;
  }): Record<string, unknown> {
    const html = `${this.urls.web}/${this.urls.owner}/${this.urls.repo}/pull/${options.pullNumber}`;
    return {
      ...this.openApi.example('pull-request-review'),
      id: options.id,
      node_id: `PRR_${options.id}`,
      user: this.user(options.login),
      body: options.body,
      state: options.state,
      commit_id: options.commitId,
      html_url: `${html}#pullrequestreview-${options.id}`,
      pull_request_url: `${this.repoApi}/pulls/${options.pullNumber}`,
      submitted_at: options.submittedAt,
      _links: {
        html: { href: `${html}#pullrequestreview-${options.id}` },
        pull_request: { href: `${this.repoApi}/pulls/${options.pullNumber}` },
      },
      author_association: 'OWNER',
    };
  }

  status(options: {
    id: number;
    sha: string;
    state: string;
    context: string;
    description: string | null;
    at: string;
  }): Record<string, unknown> {
    return {
      ...this.openApi.example('status'),
      url: `${this.repoApi}/statuses/${options.sha}`,
      id: options.id,
      node_id: `SC_${options.id}`,
      state: options.state,
      description: options.description,
      target_url: null,
      context: options.context,
      created_at: options.at,
      updated_at: options.at,
      creator: this.user(this.urls.owner),
    };
  }

  combinedStatus(sha: string, statuses: Array<Record<string, unknown>>): Record<string, unknown> {
    const states = statuses.map((status) => String(status.state));
    const state = states.some((value) => value === 'failure' || value === 'error')
      ? 'failure'
      : states.length > 0 && states.every((value) => value === 'success')
        ? 'success'
        : 'pending';
    const example = this.openApi.example('combined-commit-status');
    return {
      ...example,
      state,
      sha,
      total_count: statuses.length,
      statuses: statuses.map(
        ({
          id,
          node_id,
          url,
          avatar_url,
          state: itemState,
          description,
          target_url,
          context,
          created_at,
          updated_at,
        }) => ({
          id,
          node_id,
          url,
          avatar_url,
          state: itemState,
          description,
          target_url,
          context,
          created_at,
          updated_at,
        }),
      ),
      repository: (example as { repository: unknown }).repository,
      commit_url: `${this.repoApi}/commits/${sha}`,
      url: `${this.repoApi}/commits/${sha}/status`,
    };
  }
}
