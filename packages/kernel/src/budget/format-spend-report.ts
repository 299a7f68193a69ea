import type { SpendReportResult, SpendTotals } from './spend-report.ts';

const usd = (value: number) => `$${value.toFixed(4)}`;

function tokensOf(totals: SpendTotals): string {
  const paid = totals.paidTokens;
  const cached = totals.cachedTokens;
  const paidText = `${paid.inputTokens} in / ${paid.outputTokens} out paid`;
  const promptCache =
    paid.cacheReadTokens + paid.cacheWriteTokens > 0
      ? ` (prompt cache: ${paid.cacheReadTokens} read, ${paid.cacheWriteTokens} written)`
      : '';
  const cachedText =
    totals.cachedCalls > 0 ? `, ${cached.inputTokens} in / ${cached.outputTokens} out served from cache` : '';
  return `${paidText}${promptCache}${cachedText}`;
}

function callsOf(totals: SpendTotals): string {
  const parts = [`${totals.calls} call(s)`];
  if (totals.cachedCalls > 0) parts.push(`${totals.cachedCalls} cached`);
  if (totals.failedCalls > 0) parts.push(`${totals.failedCalls} failed`);
  if (totals.openCalls > 0) parts.push(`${totals.openCalls} unfinished (${usd(totals.openReservedUsd)} held)`);
  return parts.join(', ');
}

function breakdown(title: string, entries: Record<string, SpendTotals>): string[] {
  const sorted = Object.entries(entries).sort(
    ([leftName, left], [rightName, right]) => right.costUsd - left.costUsd || leftName.localeCompare(rightName),
  );
  return [
    `  ${title}`,
    ...sorted.map(([name, totals]) => `    ${name.padEnd(24)} ${usd(totals.costUsd).padStart(10)}  ${callsOf(totals)}`),
  ];
}

/** The human rendering of a spend report (`orchestrator runs spend <id>` without `--json`), one line per entry. */
export function formatSpendReport(report: SpendReportResult): string[] {
  const lines: string[] = [];
  for (const run of report.runs) {
    const cap = run.maxUsd === undefined ? 'no cap' : `cap ${usd(run.maxUsd)}`;
    const feature = run.feature === undefined ? '' : ` · ${report.groupBy} ${run.feature}`;
    lines.push(`run ${run.runId}${feature} · ${usd(run.totals.costUsd)} (${cap}) · ${callsOf(run.totals)}`);
    lines.push(`  tokens: ${tokensOf(run.totals)}`);
    lines.push(...breakdown('by role', run.byRole), ...breakdown('by model', run.byModel));
  }
  for (const feature of report.features) {
    if (feature.runIds.length < 2) continue;
    lines.push(
      `${report.groupBy} ${feature.feature} · ${usd(feature.totals.costUsd)} over ${feature.runIds.length} runs · ${callsOf(feature.totals)}`,
    );
  }
  if (report.runs.length > 1) lines.push(`total ${usd(report.totals.costUsd)} · ${callsOf(report.totals)}`);
  return lines;
}
