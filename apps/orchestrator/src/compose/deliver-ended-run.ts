import { openWorktreeGit } from '@orchestrator/git';
import {
  type DeliveryHook,
  type KernelRuntime,
  projectRun,
  RunJournal,
  type TypedNewEvent,
} from '@orchestrator/kernel';
import type { Workspace } from '@orchestrator/spec';
import { openedPullRequest } from './delivery-summary.ts';

/** What `resume --open-pr` did with a run that had already ended. */
export type EndedRunDelivery =
  | { status: 'not-converged' | 'already-open' | 'delivered' }
  | { status: 'blocked'; reason: string; detail: string };

async function committedPaths(workspace: Workspace): Promise<string[]> {
  const git = await openWorktreeGit(workspace.root);
  const names = await git(['diff', '--name-only', '-z', workspace.baseCommit, 'HEAD', '--']);
  return names.stdout.split('\0').filter((name) => name !== '');
}

/**
 * `resume --open-pr` on a run that converged without delivery: runs the delivery hook on the commit the run left on
 * its branch (its worktree reopened if it was cleaned up). The commit is found again by its idempotency key, and the
 * pull request step is journaled, so a second call opens nothing new. The model's paths are the committed ones: the
 * commit already held only the model's edits. A blocking gate is reported; the ended run stays ended.
 */
export async function deliverEndedRun(
  runtime: KernelRuntime,
  runId: string,
  hook: DeliveryHook,
): Promise<EndedRunDelivery> {
  const events = await runtime.store.read(runId);
  const state = projectRun(runId, events);
  if (state.status !== 'converged' || state.start === undefined) return { status: 'not-converged' };
  if (openedPullRequest(events) !== undefined) return { status: 'already-open' };
  const start = state.start;
  const journal = new RunJournal({
    runId,
    store: runtime.store,
    lastSeq: state.lastSeq,
    bus: runtime.bus,
    history: events,
  });
  const workspace = await runtime.workspaces.open({ repo: start.repo, runId, slug: start.slug });
  const outcome = await hook({
    runId,
    start,
    workspace,
    diff: state.finalDiff ?? (await workspace.diff()),
    modelPaths: await committedPaths(workspace),
    events: () => runtime.store.read(runId),
    append: (newEvents) => journal.append(newEvents as readonly TypedNewEvent[]),
    modelFor: () => undefined,
  });
  return outcome.status === 'delivered' ? { status: 'delivered' } : outcome;
}
