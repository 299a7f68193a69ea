import type { RunTimeline, TokenTotals } from '@orchestrator/spec';

const integer = new Intl.NumberFormat('en-US');

function usd(value: number): string {
  return `$${value.toFixed(4)}`;
}

function clock(offsetMs: number): string {
  const totalSeconds = Math.floor(offsetMs / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `+${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

function totalsLine(totals: TokenTotals): string {
  return (
    `${integer.format(totals.calls)} call(s)${totals.failedCalls > 0 ? ` (+${totals.failedCalls} failed)` : ''} · ` +
    `${integer.format(totals.inputTokens)} in · ${integer.format(totals.outputTokens)} out · ` +
    `${integer.format(totals.cacheReadTokens)} cache-read · ${integer.format(totals.cacheWriteTokens)} cache-write · ` +
    `${usd(totals.costUsd)}`
  );
}

/**
 * Renders a timeline as plain text lines for a terminal (`orchestrator runs show <id> --timeline`): the header, every
 * entry with its offset from the start, the token totals overall and per role, and the three costliest prompts.
 */
export function formatTimeline(timeline: RunTimeline): string[] {
  const lines = [
    `Run ${timeline.runId} · ${timeline.status}${timeline.pauseReason ? ` (${timeline.pauseReason})` : ''} · ${Math.round(timeline.durationMs / 1000)} s`,
  ];
  if (timeline.task !== undefined) lines.push(`  task: ${timeline.task}`);
  lines.push('');
  for (const entry of timeline.entries) {
    const duration = entry.durationMs === undefined ? '' : ` (${integer.format(Math.round(entry.durationMs))} ms)`;
    lines.push(
      `  ${clock(entry.offsetMs)}  #${String(entry.seq).padEnd(5)} ${entry.type.padEnd(17)} ${entry.summary}${duration}`,
    );
  }
  lines.push('', `Tokens: ${totalsLine(timeline.totals)}`);
  for (const [role, totals] of Object.entries(timeline.totalsByRole))
    lines.push(`  ${role.padEnd(10)} ${totalsLine(totals)}`);
  if (timeline.costliestPrompts.length > 0) {
    lines.push('', 'Costliest prompts:');
    timeline.costliestPrompts.forEach((prompt, index) => {
      lines.push(
        `  ${index + 1}. ${usd(prompt.costUsd)} ${prompt.role} → ${prompt.model}, ${integer.format(prompt.inputTokens)} in / ${integer.format(prompt.outputTokens)} out (#${prompt.seq}${prompt.requestSha256 ? `, prompt ${prompt.requestSha256.slice(0, 12)}` : ''})`,
      );
      if (prompt.promptPreview !== undefined)
        lines.push(`     ${prompt.promptPreview.replace(/\s+/g, ' ').slice(0, 110)}`);
    });
  }
  return lines;
}
