import { UserError } from '@orchestrator/spec';
import { buildTimeline, formatTimeline, openJournalStore } from '@orchestrator/store';
import type { Command } from 'commander';
import pc from 'picocolors';
import { addJsonOption, addRepoOption, parsePositiveNumber, repoPath } from '../cli-options.ts';
import { clipLines } from '../compose/clip-text.ts';
import { describeLeftoverEvent, describeRunTests, describeTestRun } from '../compose/run-printer.ts';
import { type RunSummary, summarizeRun } from '../compose/run-summary.ts';
import { loadConfig } from '../config/load-config.ts';
import { createOutput } from '../output/terminal.ts';

async function withStore<T>(repo: string, work: (store: Awaited<ReturnType<typeof openJournalStore>>) => Promise<T>) {
  const loaded = await loadConfig(repo, process.env);
  const store = await openJournalStore({
    dataDir: loaded.dataDir,
    ...(loaded.config.databaseUrl === undefined ? {} : { databaseUrl: loaded.config.databaseUrl }),
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function printSummary(summary: RunSummary, line: (text?: string) => void): void {
  line(pc.bold(`Run ${summary.runId} · ${summary.status}`));
  line(`  task     ${summary.task ?? '?'}`);
  line(`  repo     ${summary.repo ?? '?'}`);
  line(`  roles    ${summary.roles.map((role) => `${role.role}=${role.provider}/${role.model}`).join(' ')}`);
  if (summary.tests !== undefined) line(`  ${describeRunTests(summary.tests)}`);
  for (const run of summary.testRuns.filter((entry) => entry.turn === undefined)) line(`  ${describeTestRun(run)}`);
  line(
    `  spend    $${summary.spentUsd.toFixed(4)} over ${summary.modelCalls} model call(s) · ${summary.events} events`,
  );
  if (summary.pause) line(`  paused   ${summary.pause.reason}: ${summary.pause.detail}`);
  if (summary.status === 'paused' || summary.status === 'running') {
    const state = summary.status === 'running' ? 'in progress or interrupted; ' : '';
    line(`  ${pc.cyan('→')} ${state}continue with: orchestrator resume ${summary.runId}`);
  }
  line(`  state    ${summary.convergence}`);
  if (summary.journalProblems.length > 0) line(pc.red(`  journal  ${summary.journalProblems.join('; ')}`));
  for (const leftovers of summary.leftovers) line(`  ${describeLeftoverEvent(leftovers)}`);
  line();
  for (const turn of summary.turns) {
    const verdict = turn.verdict === undefined ? '' : ` [${turn.verdict}]`;
    const applied = turn.editsApplied === undefined ? '' : turn.editsApplied ? ' (applied)' : ' (did not apply)';
    line(
      `  turn ${String(turn.turn).padStart(2)} ${turn.role.padEnd(9)} ${turn.kind.padEnd(9)}${verdict}${applied} ${turn.summary ?? pc.red(turn.status)}`,
    );
    for (const run of summary.testRuns.filter((entry) => entry.turn === turn.turn))
      line(`      ${describeTestRun(run)}`);
    for (const risk of turn.risks)
      line(`          risk ${risk.severity} [${risk.id}] ${risk.description} — fix: ${risk.fix}`);
  }
  if (summary.openRisks.length > 0) {
    line();
    line(
      `  open risks: ${summary.openRisks.map((risk) => `${risk.severity} ${risk.id} (turn ${risk.raisedAtTurn})`).join(', ')}`,
    );
  }
  if (summary.diff !== undefined && summary.diff.trim() !== '') {
    line();
    line(clipLines(summary.diff.trimEnd(), `orchestrator runs show ${summary.runId} --json prints it whole`));
  }
}

export function register(program: Command): void {
  // runs-spend.ts adds `runs spend` (and creates `runs` when it registers first).
  const runs = (program.commands.find((command) => command.name() === 'runs') ?? program.command('runs')).description(
    'list runs, show one run from its journal, report spend',
  );
  const list = runs
    .command('list')
    .description('list runs, newest first')
    .option('--limit <n>', 'at most this many runs', parsePositiveNumber('--limit'), 20);
  addRepoOption(list);
  addJsonOption(list);
  list.action(async (options: { repo: string; json?: boolean; limit: number }) => {
    const output = createOutput(options.json === true);
    const rows = await withStore(repoPath(options), async (store) => {
      const records = await store.listRuns({ limit: Math.floor(options.limit) });
      return Promise.all(
        records.map(async (record) => {
          const summary = summarizeRun(record.runId, record, await store.read(record.runId));
          return {
            runId: record.runId,
            status: summary.status,
            task: summary.task,
            turns: summary.turns.length,
            updatedAt: record.updatedAt,
            ...(summary.pause ? { pause: summary.pause.reason } : {}),
          };
        }),
      );
    });
    output.data({ runs: rows }, () => {
      if (rows.length === 0) output.line('No runs yet. Start one with: orchestrator run "<task>" --repo <path>');
      for (const row of rows) {
        const status = row.pause === undefined ? row.status : `${row.status} (${row.pause})`;
        output.line(
          `${row.runId}  ${status.padEnd(22)} ${String(row.turns).padStart(2)} turns  ${row.updatedAt}  ${row.task ?? ''}`,
        );
      }
    });
  });
  const show = runs
    .command('show')
    .description("show a run's status, turns, risks, spend and diff")
    .argument('<run-id>');
  show.option(
    '--timeline',
    "the run's full timeline: every step with its tokens and cost, totals, top-3 costliest prompts",
  );
  addRepoOption(show);
  addJsonOption(show);
  show.action(async (runId: string, options: { repo: string; json?: boolean; timeline?: boolean }) => {
    const output = createOutput(options.json === true);
    const result = await withStore(repoPath(options), async (store) => {
      const record = await store.getRun(runId);
      if (!record) {
        throw new UserError({
          code: 'run-not-found',
          message: `There is no run ${runId} in this data directory.`,
          hint: 'List runs with: orchestrator runs list',
        });
      }
      const events = await store.read(runId);
      if (options.timeline !== true) return { kind: 'summary' as const, summary: summarizeRun(runId, record, events) };
      const timeline = buildTimeline(events);
      for (const prompt of timeline.costliestPrompts) {
        const content = prompt.requestSha256 === undefined ? undefined : await store.getBlob(prompt.requestSha256);
        if (content !== undefined) prompt.promptPreview = content.slice(0, 400);
      }
      return { kind: 'timeline' as const, timeline };
    });
    if (result.kind === 'timeline') {
      output.data(result.timeline, () => {
        for (const line of formatTimeline(result.timeline)) output.line(line);
      });
      return;
    }
    output.data(result.summary, () => printSummary(result.summary, (text) => output.line(text)));
  });
}
