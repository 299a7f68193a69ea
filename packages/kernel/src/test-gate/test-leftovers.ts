import {
  formatBytes,
  type LeftoverFile,
  type TestLeftoversData,
  UserError,
  type Workspace,
  type WorktreeChange,
  type WorktreeSnapshot,
} from '@orchestrator/spec';
import type { RunJournal } from '../journal/run-journal.ts';

/** Files listed in a `test-leftovers` event (the count and total cover them all). */
const maxListedFiles = 200;

/** Bytes a set of changes added to the worktree: new and changed files at their size now. */
export function bytesWritten(changes: readonly WorktreeChange[]): number {
  return changes.reduce((total, change) => total + (change.change === 'deleted' ? 0 : change.bytes), 0);
}

/** The `test-leftovers` payload for a set of changes. */
export function leftoversData(
  changes: readonly WorktreeChange[],
  fields: Omit<TestLeftoversData, 'files' | 'count' | 'totalBytes'>,
): TestLeftoversData {
  const files: LeftoverFile[] = changes.slice(0, maxListedFiles).map((change) => ({
    path: change.path,
    change: change.change,
    bytes: change.bytes,
    ...(change.ignored ? { ignored: true } : {}),
  }));
  return { ...fields, files, count: changes.length, totalBytes: bytesWritten(changes) };
}

/** One line naming the leftovers, for a pause detail or the terminal: `out/x.bin (20.0 MiB, added), …`. */
export function describeLeftovers(files: readonly LeftoverFile[], count = files.length): string {
  const shown = files.slice(0, 5).map((file) => `${file.path} (${formatBytes(file.bytes)}, ${file.change})`);
  return `${shown.join(', ')}${count > shown.length ? ` and ${count - shown.length} more` : ''}`;
}

/** The error a test run that wrote more than the disk quota ends with (the caller pauses the run). */
export function diskQuotaError(data: TestLeftoversData, quotaBytes: number): UserError {
  return new UserError({
    code: 'test-disk-quota',
    message: `The tests wrote ${formatBytes(data.totalBytes)} into the worktree, over the ${formatBytes(quotaBytes)} disk quota of a test run: ${describeLeftovers(data.files, data.count)}. Those files were removed.`,
    hint: 'Make the tests write less (or into the sandbox tmp), or raise the quota: orchestrator resume <run-id> --test-disk-quota-mb <n> (config: limits.testDiskQuotaBytes).',
  });
}

/**
 * Watches what a running test writes into the worktree and aborts the run (`controller`) once it is over the quota, so
 * many files each under the per-file limit cannot fill the disk before the run ends. Checks again after each walk, with
 * a pause of at least a second and four times the walk's own duration, so a large worktree is not walked constantly.
 * Returns the function that stops watching.
 */
export function watchDiskQuota(input: {
  workspace: Workspace;
  snapshot: WorktreeSnapshot;
  quotaBytes: number;
  controller: AbortController;
  now?: () => number;
}): () => void {
  const snapshots = input.workspace.snapshots;
  const now = input.now ?? Date.now;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = async () => {
    if (stopped || snapshots === undefined) return;
    const started = now();
    const written = bytesWritten(await snapshots.changesSince(input.snapshot).catch(() => []));
    if (stopped) return;
    if (written > input.quotaBytes) {
      input.controller.abort(new Error(`the tests wrote more than ${formatBytes(input.quotaBytes)}`));
      return;
    }
    timer = setTimeout(() => void check(), Math.max(1000, 4 * (now() - started)));
  };
  timer = setTimeout(() => void check(), 1000);
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * After a test run: every file the run created, changed or deleted in the worktree is a leftover, not the model's
 * change. Each is put back as the snapshot before the run recorded it, and the `test-leftovers` event lists them with
 * their sizes. Throws `test-disk-quota` (after dropping them) when they add up to more than the quota.
 */
export async function dropTestLeftovers(input: {
  workspace: Workspace;
  snapshot: WorktreeSnapshot;
  journal: RunJournal;
  phase: string;
  turn?: number;
  stepId?: string;
  quotaBytes: number;
}): Promise<TestLeftoversData | undefined> {
  const snapshots = input.workspace.snapshots;
  if (snapshots === undefined) return undefined;
  const changes = await snapshots.changesSince(input.snapshot);
  if (changes.length === 0) return undefined;
  const restore = await snapshots.restoreSnapshot(
    input.snapshot,
    changes.map((change) => change.path),
  );
  const exceeded = bytesWritten(changes) > input.quotaBytes;
  const data = leftoversData(changes, {
    stage: 'test-run',
    phase: input.phase,
    ...(input.turn === undefined ? {} : { turn: input.turn }),
    action: 'dropped',
    ...(restore.notRestored.length === 0 ? {} : { notRestored: restore.notRestored.slice(0, maxListedFiles) }),
    ...(exceeded ? { quotaExceededBytes: input.quotaBytes } : {}),
  });
  await input.journal.appendOne('test-leftovers', data, input.stepId);
  if (exceeded) throw diskQuotaError(data, input.quotaBytes);
  return data;
}
