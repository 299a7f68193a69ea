import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { restoreToBase, type SnapshotGit, selectCommitFiles } from '@orchestrator/git';
import { type DeliveryContext, describeLeftovers, leftoversData } from '@orchestrator/kernel';
import { readRunControlState, type Workspace, type WorktreeChange } from '@orchestrator/spec';
import { deliveryStepId, type GateStop } from './delivery-gates.ts';

/** What happens to files the model's edits did not touch: dropped (default), or held for a human's approval. */
export type LeftoverPolicy = 'drop' | 'require-approval';

/** Bytes of a committed file handed to the secret scanner (a file over the edit bounds only gets here by approval). */
const maxScannedBytes = 8 * 1024 * 1024;

/** The files a commit holds, read whole for the scanners (every committed file, not only its diff lines). */
export interface CommitFiles {
  files: Array<{ path: string; content: string }>;
  stop?: GateStop;
}

const stepId = deliveryStepId('commit-files');

function gitOf(workspace: Workspace): (() => Promise<SnapshotGit>) | undefined {
  const bound = (workspace as { git?: () => Promise<SnapshotGit> }).git;
  return typeof bound === 'function' ? () => bound.call(workspace) : undefined;
}

function approvalIdOfLeftovers(leftovers: readonly WorktreeChange[]): string {
  const paths = leftovers.map((file) => `${file.change}:${file.path}`).join('\n');
  return `deliver/leftovers:${createHash('sha256').update(paths).digest('hex').slice(0, 12)}`;
}

async function readWhole(root: string, files: readonly WorktreeChange[]): Promise<CommitFiles['files']> {
  const read: CommitFiles['files'] = [];
  for (const file of files) {
    if (file.change === 'deleted') continue;
    // Regular files only: a link is read as what it names, which may be outside the worktree.
    const info = await lstat(path.join(root, file.path)).catch(() => undefined);
    if (info?.isFile() !== true) continue;
    const bytes = await readFile(path.join(root, file.path)).catch(() => undefined);
    if (bytes !== undefined)
      read.push({ path: file.path, content: bytes.subarray(0, maxScannedBytes).toString('utf8') });
  }
  return read;
}

/**
 * Chooses what the commit holds: the changes at paths the model's edits touched. Anything else that differs from the
 * base commit (a file a test run created, changed or deleted) is journaled as `test-leftovers` and put back as the base
 * has it; with the policy `leftovers: require-approval` it is held for a human instead (approval-request, then pause),
 * and committed once approved. Returns every committed file whole, for the scanners.
 */
export async function chooseCommitFiles(
  context: Pick<DeliveryContext, 'events' | 'append' | 'modelPaths'>,
  workspace: Workspace,
  policy: LeftoverPolicy,
  progress: (line: string) => void,
): Promise<CommitFiles> {
  const git = gitOf(workspace);
  const select = () => selectCommitFiles(workspace.root, workspace.baseCommit, context.modelPaths, git);
  const selection = await select();
  const { leftovers } = selection;
  if (leftovers.length === 0) return { files: await readWhole(workspace.root, selection.commit) };
  const listed = leftovers.map((file) => ({ ...file, ignored: false }));
  if (policy === 'require-approval') {
    const approvalId = approvalIdOfLeftovers(leftovers);
    const events = await context.events();
    const decision = readRunControlState(events).approvalDecisions[approvalId];
    if (decision === 'approve') {
      progress(`leftovers approved, committed with the change: ${describeLeftovers(listed, listed.length)}`);
      return { files: await readWhole(workspace.root, [...selection.commit, ...leftovers]) };
    }
    const requested = events.some(
      (event) =>
        event.type === 'approval-request' && (event.data as { approvalId?: unknown }).approvalId === approvalId,
    );
    const reason = `Files the model's edits did not touch changed in the worktree: ${describeLeftovers(listed, listed.length)}.`;
    if (!requested) {
      await context.append([
        {
          type: 'test-leftovers',
          stepId,
          data: leftoversData(leftovers, { stage: 'commit', action: 'approval-requested' }),
        },
        { type: 'approval-request', stepId, data: { approvalId, gate: 'leftovers', reason } },
      ]);
    }
    return {
      files: [],
      stop: {
        reason: 'approval-required',
        detail: `${reason}\nThe policy (leftovers: require-approval) holds them for a human: approve approval ${approvalId} in the console (orchestrator serve) to commit them with the change, or reject it; then resume the run.`,
      },
    };
  }
  await restoreToBase(
    workspace.root,
    workspace.baseCommit,
    leftovers.map((file) => file.path),
    git,
  );
  await context.append([
    { type: 'test-leftovers', stepId, data: leftoversData(leftovers, { stage: 'commit', action: 'dropped' }) },
  ]);
  progress(`dropped files the model did not write (never committed): ${describeLeftovers(listed, listed.length)}`);
  const after = await select();
  if (after.leftovers.length > 0) {
    return {
      files: [],
      stop: {
        reason: 'leftovers-not-dropped',
        detail: `These files are not the model's change and could not be put back: ${describeLeftovers(after.leftovers, after.leftovers.length)}. Nothing was committed; remove them from the worktree ${workspace.root}, then resume the run.`,
      },
    };
  }
  return { files: await readWhole(workspace.root, after.commit) };
}
