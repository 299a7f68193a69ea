import type { KernelCheckpoint } from '@orchestrator/kernel';
import { UserError } from '@orchestrator/spec';

/**
 * Fault injection for the crash-resume tests: `ORCHESTRATOR_CRASH_AT=event:<seq>` kills the process with SIGKILL right
 * after the journal event with that seq is durably appended; `edits-applied:<turn>` right after a turn's edits are
 * written to the worktree but before that is journaled. Unset in normal use.
 */
export function crashInjectionFrom(env: NodeJS.ProcessEnv): ((checkpoint: KernelCheckpoint) => void) | undefined {
  const spec = env.ORCHESTRATOR_CRASH_AT;
  if (spec === undefined || spec === '') return undefined;
  const match = /^(event|edits-applied):(\d+)$/.exec(spec);
  if (!match) {
    throw new UserError({
      code: 'cli-invalid-crash-point',
      message: `ORCHESTRATOR_CRASH_AT=${JSON.stringify(spec)} is not a crash point.`,
      hint: 'Use event:<seq> or edits-applied:<turn>, or unset it.',
    });
  }
  const at = Number(match[2]);
  return (checkpoint) => {
    const hit =
      (match[1] === 'event' && checkpoint.kind === 'event-appended' && checkpoint.seq === at) ||
      (match[1] === 'edits-applied' && checkpoint.kind === 'edits-applied' && checkpoint.turn === at);
    if (!hit) return;
    process.kill(process.pid, 'SIGKILL');
    // SIGKILL to oneself is delivered asynchronously; block until it lands so nothing else runs.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
  };
}
