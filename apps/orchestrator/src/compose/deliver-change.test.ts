import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalForge } from '@orchestrator/forge';
import { type RunResult, resumeRun, startRun } from '@orchestrator/kernel';
import type { JournalEvent } from '@orchestrator/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.ts';
import { resolveRoles } from '../config/resolve-roles.ts';
import { type CliRuntime, createCliRuntime } from './create-runtime.ts';
import { createDeliveryHook } from './deliver-change.ts';

const liveKey = ['sk', '_live_', '51H8kq2LzR9xVw4pN7tY1mB5cJ3hF6dS0a'].join('');
const offline = {
  ANTHROPIC_API_KEY: '',
  OPENAI_API_KEY: '',
  GITHUB_TOKEN: '',
  GITHUB_REPOSITORY: '',
  DATABASE_URL: '',
};
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

function mitRepository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'orchestrator-deliver-repo-'));
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'package.json'), '{ "name": "app", "version": "1.0.0", "license": "MIT" }\n');
  writeFileSync(join(repo, 'README.md'), '# app\n');
  git(repo, 'add', '.');
  git(repo, '-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'initial');
  return repo;
}

const opened: CliRuntime[] = [];
afterEach(async () => {
  for (const cli of opened.splice(0)) await cli.close();
});

/** The CLI's runtime with the delivery hook, on a fresh data directory, every role scripted (reviewer included). */
async function deliveringRuntime(repo: string, dataDir = mkdtempSync(join(tmpdir(), 'orchestrator-deliver-home-'))) {
  const env = { ...process.env, ...offline, ORCHESTRATOR_HOME: dataDir };
  const loaded = await loadConfig(repo, env);
  const cli = await createCliRuntime({ config: loaded.config, dataDir: loaded.dataDir, env: loaded.env });
  opened.push(cli);
  const deliver = createDeliveryHook({ config: loaded.config, dataDir: loaded.dataDir, env: loaded.env });
  const roles = resolveRoles(loaded.config, loaded.env, ['architect', 'builder', 'critic', 'reviewer']).map(
    ({ role, binding }) => ({ role, ...binding }),
  );
  const start = (task: string) =>
    startRun({ ...cli.runtime, deliver }, { task, repo, roles, limits: { ...loaded.config.limits } });
  const resume = (runId: string) => resumeRun({ ...cli.runtime, deliver }, runId, { by: 'test' });
  const forge = () => new LocalForge({ dataDir: loaded.dataDir, sourceRepository: repo });
  return { cli, start, resume, forge, dataDir: loaded.dataDir };
}

const types = (events: readonly JournalEvent[]) => events.map((event) => event.type);
const verdictsOf = (events: readonly JournalEvent[]) =>
  events
    .filter((event) => event.type === 'policy-verdict')
    .map((event) => `${(event.data as { gate: string }).gate}:${(event.data as { verdict: string }).verdict}`);

describe('delivery of a converged run', () => {
  it('commits with provenance trailers, opens one pull request with its provenance block and sets the checks', async () => {
    const repo = mitRepository();
    const mainBefore = git(repo, 'rev-parse', 'main');
    const { cli, start, resume, forge } = await deliveringRuntime(repo);
    const result: RunResult = await start('add LICENSE');
    expect(result.status).toBe('converged');

    const events = await cli.runtime.store.read(result.runId);
    expect(verdictsOf(events)).toEqual(['pre-commit:pass', 'pre-push:pass', 'review:pass', 'pre-pr:pass']);
    // pr-open lands before run-end, which stays the last event.
    expect(types(events).slice(-2)).toEqual(['pr-open', 'run-end']);
    const message = git(repo, 'log', '-1', '--format=%B', result.branch);
    expect(message).toContain(`Orchestrator-Run: ${result.runId}`);
    expect(message).toContain(`Orchestrator-Step: ${result.runId}/commit`);
    expect(message).toContain('Orchestrator-Models: architect=scripted/scripted-v1');
    expect(git(repo, 'rev-parse', 'main')).toBe(mainBefore);

    const local = forge();
    const pullRequests = await local.listPullRequests({ state: 'all' });
    expect(pullRequests.map((pullRequest) => pullRequest.number)).toEqual([1]);
    expect(pullRequests[0]?.body).toContain('```orchestrator-provenance');
    expect(pullRequests[0]?.body).toContain(`"runId": "${result.runId}"`);
    const checks = await local.listCheckStatuses(1);
    expect(checks.map((check) => `${check.name}:${check.state}:${check.required}`).sort()).toEqual([
      'orchestrator/policy:success:true',
      'orchestrator/review:success:true',
      'orchestrator/tests:success:true',
    ]);
    await local.close();

    // An ended run resumes to its result: no second commit, no second pull request.
    await resume(result.runId);
    const again = forge();
    expect((await again.listPullRequests({ state: 'all' })).length).toBe(1);
    await again.close();
  });

  it('stops a change that adds a .env with a live key before any commit, with an actionable and redacted error', async () => {
    const repo = mitRepository();
    const { cli, start, forge } = await deliveringRuntime(repo);
    const result = await start('add a .env with the API key');
    expect(result.status).toBe('paused');
    expect(result.pause?.reason).toBe('policy-blocked');
    expect(result.pause?.detail).toContain('.env:2 [secret.stripe-secret-key]');
    expect(result.pause?.detail).toContain('How to fix');
    expect(result.pause?.detail).toContain('allowlist: [{ id: "secret.stripe-secret-key:');
    expect(result.pause?.detail).not.toContain(liveKey);
    // Nothing committed on the run branch, nothing pushed or proposed.
    expect(git(repo, 'rev-list', '--count', result.branch)).toBe('1');
    const local = forge();
    expect(await local.listPullRequests({ state: 'all' })).toEqual([]);
    await local.close();
    const events = await cli.runtime.store.read(result.runId);
    expect(verdictsOf(events)).toEqual(['pre-commit:block']);
    expect(JSON.stringify(events.filter((event) => event.type === 'policy-verdict'))).not.toContain(liveKey);
    expect(types(events)).not.toContain('run-end');
  });

  it('delivers a blocked run once the finding is allowlisted and the run resumed', async () => {
    const repo = mitRepository();
    const { start, resume, forge } = await deliveringRuntime(repo);
    const blocked = await start('vendor a GPL-3.0 file');
    expect(blocked.pause?.reason).toBe('policy-blocked');
    const ids = [...(blocked.pause?.detail ?? '').matchAll(/id: "([^"]+)"/g)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(0);
    writeFileSync(
      join(repo, 'orchestrator.policy.yaml'),
      `rules:\n  - id: vendored-gpl-accepted\n    when: finding.ruleId == "licence.incompatible" && glob(finding.path, "vendor/**")\n    action: allow\n`,
    );
    const resumed = await resume(blocked.runId);
    expect(resumed.status).toBe('converged');
    const local = forge();
    expect((await local.listPullRequests({ state: 'all' })).length).toBe(1);
    await local.close();
  });

  it('asks a human when the policy requires approval: approved, the run delivers; rejected, it ends with nothing', async () => {
    const approvalPolicy =
      'rules:\n  - id: licences-need-a-human\n    when: finding.type == "licence"\n    action: require-approval\n';
    for (const decision of ['approve', 'reject'] as const) {
      const repo = mitRepository();
      writeFileSync(join(repo, 'orchestrator.policy.yaml'), approvalPolicy);
      const { cli, start, resume, forge } = await deliveringRuntime(repo);
      const waiting = await start('vendor a GPL-3.0 file');
      expect(waiting.pause?.reason).toBe('approval-required');
      expect(waiting.pause?.detail).toContain('[licence.incompatible]');
      const events = await cli.runtime.store.read(waiting.runId);
      const request = events.find((event) => event.type === 'approval-request');
      const approvalId = String((request?.data as { approvalId?: string } | undefined)?.approvalId);
      expect(approvalId).toMatch(/^deliver\/policy:[0-9a-f]{12}$/);
      await cli.runtime.store.append(
        waiting.runId,
        [{ type: 'approval-decision', data: { approvalId, decision, by: 'test' } }],
        { expectedLastSeq: events.at(-1)?.seq ?? 0 },
      );
      const resumed = await resume(waiting.runId);
      const local = forge();
      const pullRequests = await local.listPullRequests({ state: 'all' });
      await local.close();
      if (decision === 'approve') {
        expect(resumed.status).toBe('converged');
        expect(pullRequests).toHaveLength(1);
      } else {
        expect(resumed.status).toBe('cancelled');
        expect(pullRequests).toHaveLength(0);
        expect(git(repo, 'rev-list', '--count', resumed.branch)).toBe('1');
      }
    }
  });

  it('puts the reviewers’ findings on the pull request and fails the required review check', async () => {
    const repo = mitRepository();
    const { start, forge } = await deliveringRuntime(repo);
    const result = await start('add a calculator endpoint');
    expect(result.status).toBe('converged');
    const local = forge();
    const comments = await local.listReviewComments(1);
    expect(comments.map((comment) => `${comment.path}:${comment.line}:${comment.verdict}`)).toEqual([
      'src/calculate.js:3:request-changes',
      'src/calculate.js:3:request-changes',
    ]);
    expect(comments.some((comment) => comment.body.includes('review.model.eval'))).toBe(true);
    const merge = await local.mergePullRequest(1);
    expect(merge.merged).toBe(false);
    await local.close();
  });
});
