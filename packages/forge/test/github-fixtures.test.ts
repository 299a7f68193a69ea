// The GitHub forge's client against exchanges recorded from the real api.github.com (@octokit/fixtures), replayed by
// @octokit/fixtures-server in a child process. Each scenario checks request order, method, path, headers and body.
import { type FixturesServer, fixturesToken, startFixturesServer } from '@orchestrator/testing/github-stand-in/index';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitHubRequestFailed } from '../src/github/github-errors.ts';
import { GitHubForge } from '../src/index.ts';

let server: FixturesServer;
beforeAll(async () => {
  server = await startFixturesServer();
});
afterAll(async () => {
  await server.close();
});

async function forgeFor(scenario: string, repository: string): Promise<GitHubForge> {
  const baseUrl = await server.loadScenario(scenario);
  return new GitHubForge({ token: fixturesToken, repository, baseUrl, paceWrites: false, retryBaseMilliseconds: 1 });
}

/** The legacy "all references" listing the scenario recorded (with its trailing slash, which Octokit would drop). */
async function listAllRefs(forge: GitHubForge): Promise<string[]> {
  const { baseUrl } = forge.client.request.endpoint.DEFAULTS;
  const response = await fetch(`${baseUrl}/repos/octokit-fixture-org/git-refs/git/refs/`, {
    headers: { accept: 'application/vnd.github.v3+json', authorization: `token ${fixturesToken}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<{ ref: string }>).map((ref) => ref.ref);
}

describe('GitHubForge against recorded GitHub exchanges', () => {
  it('git-refs: creates, moves and deletes a branch ref exactly as GitHub expects', async () => {
    const forge = await forgeFor('git-refs', 'octokit-fixture-org/git-refs');
    expect(await listAllRefs(forge)).toEqual(['refs/heads/main']);
    await forge.createBranchRef('test', '0000000000000000000000000000000000000002');
    await forge.updateBranchRef('test', '0000000000000000000000000000000000000001');
    expect(await listAllRefs(forge)).toEqual(['refs/heads/main', 'refs/heads/test']);
    await forge.deleteBranchRef('test');
  });

  it('add-labels-to-issue: labels a pull request (an issue) with one request', async () => {
    const forge = await forgeFor('add-labels-to-issue', 'octokit-fixture-org/add-labels-to-issue');
    const issue = await forge.client.issues.create({
      owner: 'octokit-fixture-org',
      repo: 'add-labels-to-issue',
      title: 'Issue without a label',
    });
    expect(issue.data.number).toBe(1);
    await forge.addLabels(1, ['Foo', 'bAr', 'baZ']);
  });

  it('errors: a recorded 422 becomes an actionable error, is not retried, and holds no token', async () => {
    const forge = await forgeFor('errors', 'octokit-fixture-org/errors');
    const failure = await forge.client.issues
      .createLabel({ owner: 'octokit-fixture-org', repo: 'errors', name: 'foo', color: 'invalid' })
      .catch((error: unknown) => gitHubRequestFailed(error, 'create a label', forge.repository));
    expect(failure).toMatchObject({ code: 'forge-github-request-failed', details: { status: 422 } });
    expect((failure as Error).message).toContain('Validation Failed');
    expect(JSON.stringify(failure) + (failure as Error).message).not.toContain(fixturesToken);
  });

  it('paginate-issues: follows the Link headers GitHub sends across five pages', async () => {
    const forge = await forgeFor('paginate-issues', 'octokit-fixture-org/paginate-issues');
    const issues = await forge.client.paginate('GET /repos/{owner}/{repo}/issues', {
      owner: 'octokit-fixture-org',
      repo: 'paginate-issues',
      per_page: 3,
    });
    expect(issues.map((issue) => issue.number)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });
});
