import type { RunResult } from '@orchestrator/kernel';
import pc from 'picocolors';
import { exitCodes, type Output } from '../output/terminal.ts';
import { clipLines } from './clip-text.ts';

/** Prints a run's outcome (diff, then CONVERGED or PAUSED with the reason) and returns the exit code. */
export function printRunResult(output: Output, result: RunResult): number {
  output.data(result, () => {
    output.line();
    if (result.diff.trim() !== '') {
      output.line(pc.bold('Diff'));
      output.line(clipLines(result.diff.trimEnd(), `the whole change is in the worktree of branch ${result.branch}`));
      output.line();
    }
    const where = pc.dim(`run ${result.runId} · branch ${result.branch} · $${result.spentUsd.toFixed(4)}`);
    if (result.status === 'converged') {
      output.line(`${pc.green(pc.bold('CONVERGED'))} after ${result.turns} turn(s) · ${where}`);
    } else if (result.status === 'paused') {
      output.line(
        `${pc.yellow(pc.bold('PAUSED'))} (${result.pause?.reason ?? 'unknown'}) after ${result.turns} turn(s) · ${where}`,
      );
      if (result.pause) output.line(`  ${result.pause.detail}`);
      output.line(`  ${pc.cyan('→')} continue with: orchestrator resume ${result.runId}`);
    } else {
      output.line(`${pc.red(pc.bold(result.status.toUpperCase()))} after ${result.turns} turn(s) · ${where}`);
    }
  });
  if (result.status === 'converged') return exitCodes.ok;
  return result.status === 'paused' ? exitCodes.paused : exitCodes.system;
}
