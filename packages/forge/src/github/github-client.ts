import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck/light.js';

/** Octokit with retries (5xx, network) and throttling (primary and secondary rate limits) built in. */
export const GitHubClient = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubClient>;

export interface GitHubClientOptions {
  /** A token with `contents` and `pull_requests` write access. Never logged: Octokit redacts it from errors. */
  token: string;
  /** REST API base URL; `https://api.github.com` by default (GitHub Enterprise or a local stand-in otherwise). */
  baseUrl?: string;
  /** Retries of a failed request (5xx, network errors). */
  retries?: number;
  /** Base of the quadratic retry back-off, in milliseconds (tests shorten it). */
  retryBaseMilliseconds?: number;
  /** How often a rate-limited request is retried after waiting as GitHub asks. */
  rateLimitRetries?: number;
  /**
   * Pace writes as GitHub asks integrators to (at least 1 s between writes, 3 s between requests that notify people,
   * such as opening a pull request or requesting a review), to stay clear of secondary rate limits. Default true;
   * tests against a local stand-in turn it off.
   */
  paceWrites?: boolean;
  /** Receives warnings (rate limits); silent by default. */
  warn?: (message: string) => void;
}

/** Builds the Octokit client the GitHub forge uses. */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const warn = options.warn ?? (() => {});
  const quiet = () => {};
  const paced = options.paceWrites ?? true;
  return new GitHubClient({
    auth: options.token,
    baseUrl: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'orchestrator',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    retry: { retries: options.retries ?? 3, retryAfterBaseValue: options.retryBaseMilliseconds ?? 1000 },
    throttle: {
      retryAfterBaseValue: options.retryBaseMilliseconds ?? 1000,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: paced ? 1000 : 0 }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: paced ? 3000 : 0 }),
      onRateLimit: (retryAfter, requestOptions, _octokit, retryCount) => {
        warn(`GitHub rate limit hit on ${requestOptions.method} ${requestOptions.url}; retrying in ${retryAfter}s.`);
        return retryCount < rateLimitRetries;
      },
      onSecondaryRateLimit: (retryAfter, requestOptions, _octokit, retryCount) => {
        warn(
          `GitHub secondary rate limit on ${requestOptions.method} ${requestOptions.url}; retrying in ${retryAfter}s.`,
        );
        return retryCount < rateLimitRetries;
      },
    },
  });
}
