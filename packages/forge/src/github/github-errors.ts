import { SystemError, UserError } from '@orchestrator/spec';

interface RequestErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
}

function isRequestError(error: unknown): error is RequestErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

/** The HTTP status of an Octokit `RequestError`, or undefined for anything else. */
export function requestStatus(error: unknown): number | undefined {
  return isRequestError(error) ? error.status : undefined;
}

/** Turns an Octokit failure into an actionable error; the token never appears (Octokit redacts it). */
export function gitHubRequestFailed(error: unknown, action: string, repository: string): Error {
  if (!isRequestError(error)) return error instanceof Error ? error : new Error(String(error));
  const details = { repository, status: error.status, action };
  const reason = error.message.split(' - ')[0] ?? error.message;
  if (error.status === 401 || error.status === 403) {
    return new UserError({
      code: 'forge-github-unauthorized',
      message: `GitHub refused to ${action} in ${repository} (HTTP ${error.status}: ${reason}).`,
      hint: 'Check that GITHUB_TOKEN is valid and grants write access to contents and pull requests of this repository.',
      details,
      cause: error,
    });
  }
  if (error.status === 404) {
    return new UserError({
      code: 'forge-github-not-found',
      message: `GitHub could not find what was needed to ${action} in ${repository} (HTTP 404).`,
      hint: 'Check GITHUB_REPOSITORY (owner/name), the API URL, and that the token can see the repository.',
      details,
      cause: error,
    });
  }
  return new SystemError({
    code: 'forge-github-request-failed',
    message: `GitHub failed to ${action} in ${repository} (HTTP ${error.status}: ${reason}).`,
    hint: 'Retry later; if it persists, check https://www.githubstatus.com or the API URL.',
    details,
    cause: error,
  });
}
