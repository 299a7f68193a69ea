import { createForge, resolveForgeChoice } from '@orchestrator/forge';
import { GitWorkspaceProvider, type RunWorkspaceRecord } from '@orchestrator/git';
import { projectRun } from '@orchestrator/kernel';
import type { JournalEvent } from '@orchestrator/spec';
import { openJournalStore } from '@orchestrator/store';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { openedPullRequest } from '../compose/delivery-summary.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput } from '../output/terminal.ts';

/** Run statuses whose worktree and branch have nothing left to do. */
const finishedStatuses = new Set(['converged', 'failed', 'cancelled']);

/** What `gc` did (or, with `--dry-run`, would do) with one run's workspace. */
export interface GcEntry {
  runId: string;
  status: string;
  repo: string;
  branch: string;
  action: 'removed' | 'would-remove' | 'kept';
  /** Why it was kept, or what stayed behind. */
  reason?: string;
}

type Loaded = Awaited<ReturnType<typeof loadConfig>>;

/** True when the run's pull request is still open on its forge (or the forge cannot tell: then it is kept). */
async function hasOpenPullRequest(
  loaded: Loaded,
  record: RunWorkspaceRecord,
  events: JournalEvent[],
): Promise<boolean> {
  const opened = openedPullRequest(events);
  if (opened === undefined) return false;
  try {
    const forge = createForge(
      resolveForgeChoice({
        settings: loaded.config.forge,
        env: loaded.env,
        dataDir: loaded.dataDir,
        sourceRepository: record.repo,
      }),
    );
    try {
      return (await forge.getPullRequest(opened.number))?.state === 'open';
    } finally {
      await forge.close();
    }
  } catch {
    return true;
  }
}

/** Decides and (unless `dryRun`) removes, one run at a time: never a running or paused run, never an open PR without `force`. */
export async function collectGarbage(loaded: Loaded, options: { dryRun: boolean; force: boolean }): Promise<GcEntry[]> {
  const provider = new GitWorkspaceProvider({ dataDir: loaded.dataDir, branchPrefix: loaded.config.git.branchPrefix });
  const store = await openJournalStore({
    dataDir: loaded.dataDir,
    ...(loaded.config.databaseUrl === undefined ? {} : { databaseUrl: loaded.config.databaseUrl }),
  });
  const entries: GcEntry[] = [];
  try {
    for (const record of await provider.records()) {
      const events = await store.read(record.runId);
      const status = events.length === 0 ? 'unknown' : projectRun(record.runId, events).status;
      const entry = { runId: record.runId, status, repo: record.repo, branch: record.branch };
      if (!finishedStatuses.has(status)) {
        const reason = status === 'unknown' ? 'no journal (the run may be starting)' : `the run is ${status}`;
        entries.push({ ...entry, action: 'kept', reason });
        continue;
      }
      if (!options.force && (await hasOpenPullRequest(loaded, record, events))) {
        entries.push({ ...entry, action: 'kept', reason: 'its pull request is open (--force removes it anyway)' });
        continue;
      }
      if (options.dryRun) {
        entries.push({ ...entry, action: 'would-remove' });
        continue;
      }
      const { branchDeleted } = await provider.removeWithBranch(record.runId);
      entries.push({
        ...entry,
        action: 'removed',
        ...(branchDeleted ? {} : { reason: `branch ${record.branch} kept: git refused to delete it (checked out?)` }),
      });
    }
  } finally {
    await store.close();
  }
  return entries;
}

export function register(program: Command): void {
  const command = program
    .command('gc')
    .description(
      'remove the worktrees and branches of finished runs (converged, failed, cancelled); never a running or paused run, never a branch whose pull request is open',
    )
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--force', 'also remove runs whose pull request is still open');
  addRepoOption(command);
  addJsonOption(command);
  command.action(async (options: { repo: string; json?: boolean; dryRun?: boolean; force?: boolean }) => {
    const output = createOutput(options.json === true);
    const loaded = await loadConfig(repoPath(options), process.env);
    const entries = await collectGarbage(loaded, { dryRun: options.dryRun === true, force: options.force === true });
    output.data({ dryRun: options.dryRun === true, runs: entries }, () => {
      if (entries.length === 0) output.line('Nothing to clean: no run workspace in this data directory.');
      for (const entry of entries) {
        const action =
          entry.action === 'kept'
            ? pc.yellow('kept')
            : entry.action === 'removed'
              ? pc.green('removed')
              : pc.cyan('would remove');
        output.line(
          `${action.padEnd(12)} ${entry.runId}  ${entry.status.padEnd(10)} ${entry.branch}${entry.reason === undefined ? '' : `  (${entry.reason})`}`,
        );
      }
    });
  });
}
