import type { Forge, JournalEvent, Provenance, PullRequest, PushResult, Workspace } from '@orchestrator/spec';
import { buildProvenance } from './provenance/build-provenance.ts';
import { renderProvenanceBlock } from './provenance/provenance-block.ts';

/** Points inside `openPullRequest` where a fault can be injected, to test crash-and-resume. */
export type PullRequestFaultPoint = 'after-push' | 'after-pull-request-create';

export interface OpenPullRequestOptions {
  /** The forge of the run's repository. */
  forge: Forge;
  /** The run's workspace; its branch must hold the committed change. */
  workspace: Pick<Workspace, 'root' | 'branch'>;
  /** What the pull request is about. */
  run: {
    runId: string;
    task: string;
    /** Branch to propose the change into. */
    baseBranch: string;
    /** Defaults to the task. */
    title?: string;
    /** Markdown above the provenance block (what changed, why). */
    summary?: string;
    labels?: readonly string[];
    reviewers?: readonly string[];
  };
  /** The run's journal events so far; the provenance block is built from them. */
  events: readonly JournalEvent[];
  /** Run id + step id: a retried step with the same key never opens a second pull request. */
  idempotencyKey: string;
  /** Called at each fault point (tests kill the process there); see `environmentFaultHook`. */
  onFaultPoint?: (point: PullRequestFaultPoint) => void;
}

export interface OpenedPullRequest {
  pullRequest: PullRequest;
  /** False when an earlier attempt (same key or same head branch) had already opened it. */
  created: boolean;
  push: PushResult;
  provenance: Provenance;
}

const keyMarker = (key: string) => `<!-- orchestrator-idempotency-key: ${key.replace(/-->/g, '')} -->`;

/** Renders the pull request body: summary, provenance block, idempotency marker. */
export function renderPullRequestBody(options: {
  task: string;
  summary?: string;
  provenance: Provenance;
  idempotencyKey: string;
}): string {
  const summary = options.summary ?? `Implements: ${options.task}`;
  return `${summary.trimEnd()}\n\n${renderProvenanceBlock(options.provenance)}\n${keyMarker(options.idempotencyKey)}\n`;
}

/**
 * The pull-request step of a run, exactly once: pushes the workspace branch (a no-op when already pushed), then
 * reuses the pull request an earlier attempt opened (found by idempotency key, or as the open pull request of the
 * head branch) or creates it. Safe to call again after a crash at any point.
 * The caller journals `pr-open` {number, url, headBranch} with the result.
 */
export async function openPullRequest(options: OpenPullRequestOptions): Promise<OpenedPullRequest> {
  const { forge, workspace, run } = options;
  const provenance = buildProvenance(options.events);
  const body = renderPullRequestBody({
    task: run.task,
    ...(run.summary === undefined ? {} : { summary: run.summary }),
    provenance,
    idempotencyKey: options.idempotencyKey,
  });
  const push = await forge.pushBranch({ workingCopy: workspace.root, branch: workspace.branch });
  options.onFaultPoint?.('after-push');

  const earlier = (await forge.listPullRequests({ state: 'all', head: workspace.branch })).find((pullRequest) =>
    pullRequest.body.includes(keyMarker(options.idempotencyKey)),
  );
  if (earlier !== undefined && earlier.state !== 'open') {
    return { pullRequest: earlier, created: false, push, provenance };
  }
  const result = await forge.openPullRequest({
    title: run.title ?? run.task,
    body,
    base: run.baseBranch,
    head: workspace.branch,
    ...(run.labels === undefined ? {} : { labels: run.labels }),
    ...(run.reviewers === undefined ? {} : { reviewers: run.reviewers }),
  });
  options.onFaultPoint?.('after-pull-request-create');
  let pullRequest = result.pullRequest;
  if (!result.created && pullRequest.body !== body) {
    pullRequest = await forge.updatePullRequest(pullRequest.number, { body });
  }
  return { pullRequest, created: result.created, push, provenance };
}

/**
 * A fault hook driven by `ORCHESTRATOR_FAULT_POINT`: when it names the point reached, the process kills itself with
 * SIGKILL (no cleanup, no flush), as a crash would. For crash-and-resume tests only.
 */
export function environmentFaultHook(env: NodeJS.ProcessEnv): (point: PullRequestFaultPoint) => void {
  const target = env.ORCHESTRATOR_FAULT_POINT;
  return (point) => {
    if (target === point) process.kill(process.pid, 'SIGKILL');
  };
}
