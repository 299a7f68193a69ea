import { applyRunChange, GitWorkspaceProvider } from '@orchestrator/git';
import type { RunResult } from '@orchestrator/kernel';
import { OrchestratorError } from '@orchestrator/spec';
import type { Command } from 'commander';
import pc from 'picocolors';
import { sanitizeTerminalText } from '../output/sanitize-terminal-text.ts';
import { exitCodes, type Output } from '../output/terminal.ts';

/** Adds `--apply` and `--keep-worktree` to `run` and `resume`. */
export function addAftermathOptions(command: Command): Command {
  return command
    .option(
      '--apply',
      "when the run converges: also put its change into the repository's working tree (refused, nothing lost, when that tree has changes)",
    )
    .option(
      '--keep-worktree',
      "keep the run's worktree in the data directory once the run has ended (removed by default)",
    );
}

/** What the run's ending asks for. */
export interface AftermathOptions {
  dataDir: string;
  branchPrefix: string | undefined;
  apply: boolean;
  keepWorktree: boolean;
}

/** A run that ended for good (not paused): its worktree has nothing left to do. */
export function runEnded(result: Pick<RunResult, 'status'>): boolean {
  return result.status === 'converged' || result.status === 'failed' || result.status === 'cancelled';
}

function printError(output: Output, error: unknown): number {
  if (!OrchestratorError.isInstance(error)) throw error;
  process.stderr.write(`${pc.red('error')} ${pc.dim(`[${error.code}]`)} ${sanitizeTerminalText(error.message)}\n`);
  if (error.hint) process.stderr.write(`  ${pc.cyan('→')} ${sanitizeTerminalText(error.hint)}\n`);
  if (!output.json) output.line();
  return exitCodes[error.actor];
}

/**
 * After a run returns: with `--apply`, a converged change goes into the user's working tree (from the commit on its
 * branch); then an ended run's worktree is removed unless `--keep-worktree` (the branch and its commit stay).
 * Returns the exit code to use instead of `code` (a refused `--apply` exits 2).
 */
export async function finishRun(
  output: Output,
  result: RunResult,
  code: number,
  options: AftermathOptions,
): Promise<number> {
  const provider = new GitWorkspaceProvider({
    dataDir: options.dataDir,
    ...(options.branchPrefix === undefined ? {} : { branchPrefix: options.branchPrefix }),
  });
  let exitCode = code;
  const record = await provider.record(result.runId);
  if (record === undefined) return exitCode;
  if (options.apply && result.status === 'converged') {
    try {
      const applied = await applyRunChange({ repo: record.repo, baseCommit: record.baseCommit, branch: record.branch });
      const line = `applied ${applied.files.length} file(s) to the working tree of ${record.repo}: ${applied.files.join(', ')}`;
      if (output.json) process.stderr.write(`${line}\n`);
      else output.line(`${pc.green('apply')} ${line}`);
    } catch (error) {
      exitCode = printError(output, error);
    }
  } else if (options.apply && !output.json) {
    output.line(`${pc.yellow('apply')} skipped: the run did not converge`);
  }
  if (runEnded(result) && !options.keepWorktree) {
    await provider.remove(result.runId);
    if (!output.json)
      output.line(
        pc.dim(`worktree removed; the change stays on branch ${record.branch} (git switch ${record.branch})`),
      );
  }
  return exitCode;
}
