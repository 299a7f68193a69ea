import { formatSpendReport, type SpendReportResult, spendReport } from '@orchestrator/kernel';
import { type JournalEvent, type JournalStore, UserError } from '@orchestrator/spec';
import { openJournalStore } from '@orchestrator/store';
import type { Command } from 'commander';
import { addJsonOption, addRepoOption, repoPath } from '../cli-options.ts';
import { parseRunLabel, type RunLabel } from '../compose/run-labels.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput } from '../output/terminal.ts';

interface SpendOptions {
  repo: string;
  json?: boolean;
  feature?: string;
  label?: string;
}

/** More runs than any one feature has; the report reads every run of the feature. */
const maxRunsPerFeature = 100_000;

/** The label that selects the runs of a feature: `--label key=value`, or `--feature <name>` (`feature=<name>`). */
function selectedLabel(options: SpendOptions): RunLabel | undefined {
  if (options.label !== undefined && options.feature !== undefined) {
    throw new UserError({
      code: 'cli-conflicting-options',
      message: '--feature and --label both select runs.',
      hint: 'Give one: --feature <name> (the runs labelled feature=<name>) or --label <key=value>.',
    });
  }
  if (options.label !== undefined) return parseRunLabel(options.label);
  return options.feature === undefined ? undefined : { key: 'feature', value: options.feature };
}

/** The events of the run, or of every run with the label (all in one report, grouped by the label's key). */
async function spendOf(
  store: JournalStore,
  runId: string | undefined,
  label: RunLabel | undefined,
): Promise<SpendReportResult> {
  if (runId !== undefined) {
    if ((await store.getRun(runId)) === undefined) {
      throw new UserError({
        code: 'run-not-found',
        message: `There is no run ${runId} in this data directory.`,
        hint: 'List runs with: orchestrator runs list',
      });
    }
    return spendReport(await store.read(runId), label?.key);
  }
  if (label === undefined) {
    throw new UserError({
      code: 'cli-missing-argument',
      message: 'runs spend needs a run id, --feature <name> or --label <key=value>.',
      hint: 'e.g. orchestrator runs spend <run-id>, or orchestrator runs spend --feature checkout',
    });
  }
  const records = await store.listRuns({ limit: maxRunsPerFeature, label });
  const events: JournalEvent[] = [];
  for (const record of [...records].reverse()) events.push(...(await store.read(record.runId)));
  return spendReport(events, label.key);
}

/**
 * `orchestrator runs spend <run-id>` and `runs spend --feature <name>`: what runs cost, by role and model, paid vs
 * cached tokens, failed and unfinished calls, from the journal. Adds `spend` to the `runs` command (whichever of this
 * module and `runs.ts` registers first creates it).
 */
export function register(program: Command): void {
  const runs = program.commands.find((command) => command.name() === 'runs') ?? program.command('runs');
  const spend = runs
    .command('spend')
    .description(
      'what a run (or every run of a feature) cost: by role and model, paid vs cached tokens (cache hits are $0), failed and unfinished calls',
    )
    .argument('[run-id]', 'the run (see: orchestrator runs list)')
    .option('--feature <name>', 'total the runs labelled feature=<name> (orchestrator run --label feature=<name>)')
    .option('--label <key=value>', 'total the runs with this label, grouped by its key');
  addRepoOption(spend);
  addJsonOption(spend);
  spend.action(async (runId: string | undefined, options: SpendOptions) => {
    const output = createOutput(options.json === true);
    const label = selectedLabel(options);
    const loaded = await loadConfig(repoPath(options), process.env);
    const store = await openJournalStore({
      dataDir: loaded.dataDir,
      ...(loaded.config.databaseUrl === undefined ? {} : { databaseUrl: loaded.config.databaseUrl }),
    });
    try {
      const report = await spendOf(store, runId, label);
      output.data(report, () => {
        if (report.runs.length === 0) output.line(`No runs labelled ${label?.key}=${label?.value}.`);
        for (const line of formatSpendReport(report)) output.line(line);
      });
    } finally {
      await store.close();
    }
  });
}
