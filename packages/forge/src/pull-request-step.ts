import { type JournalStore, prOpenDataSchema } from '@orchestrator/spec';
import { type OpenedPullRequest, type OpenPullRequestOptions, openPullRequest } from './open-pull-request.ts';

export interface PullRequestStepOptions extends Omit<OpenPullRequestOptions, 'events' | 'idempotencyKey'> {
  /** The run's journal: events are read from it and `pr-open` is appended to it. */
  journal: Pick<JournalStore, 'read' | 'append'>;
  /** The step id of the pull-request step; with the run id it forms the idempotency key. */
  stepId: string;
}

/** What the step did: `journaled` is true when a `pr-open` of an earlier attempt was found and nothing was called. */
export type PullRequestStepResult =
  | { journaled: true; number: number; url: string; headBranch: string }
  | ({ journaled: false; number: number; url: string; headBranch: string } & OpenedPullRequest);

/**
 * The pull-request step for a composition root: if the journal already records `pr-open` for this step, returns it;
 * otherwise pushes and find-or-creates the pull request (`openPullRequest`, key `<runId>:<stepId>`) and appends
 * `pr-open` {number, url, headBranch} under the step. A crash anywhere in between is repaired by calling it again.
 */
export async function runPullRequestStep(options: PullRequestStepOptions): Promise<PullRequestStepResult> {
  const { journal, stepId, ...rest } = options;
  const events = await journal.read(options.run.runId);
  for (const event of events) {
    if (event.type !== 'pr-open' || event.stepId !== stepId) continue;
    const recorded = prOpenDataSchema.safeParse(event.data);
    if (recorded.success) return { journaled: true, ...recorded.data };
  }
  const opened = await openPullRequest({ ...rest, events, idempotencyKey: `${options.run.runId}:${stepId}` });
  const data = { number: opened.pullRequest.number, url: opened.pullRequest.url, headBranch: opened.pullRequest.head };
  await journal.append(options.run.runId, [{ type: 'pr-open', stepId, data }]);
  return { journaled: false, ...data, ...opened };
}
