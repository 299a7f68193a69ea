import { type JournalStore, type ModelRequest, operatorPauseReason } from '@orchestrator/spec';

/** Options of `holdUntilOperatorPause`. */
export interface HoldUntilOperatorPauseOptions {
  /** How often the journal is read while holding (another process appends the pause); 25 ms by default. */
  pollMs?: number;
  /** Stops holding (the call goes on) after this long, so an abandoned test never leaves a process behind; 10 min. */
  giveUpMs?: number;
}

/**
 * The `hold` callback of the scripted model (testing and demos): a call of a run waits until the run's journal has an
 * operator's `run-pause`, then answers. A run that was already paused by an operator never holds again, so a run holds
 * once, at its first held call, whatever process plays it. The wait is on a journal condition, never on a duration.
 */
export function holdUntilOperatorPause(
  store: JournalStore,
  options: HoldUntilOperatorPauseOptions = {},
): (request: ModelRequest) => Promise<void> {
  const pollMs = options.pollMs ?? 25;
  const giveUpMs = options.giveUpMs ?? 600_000;
  return async (request) => {
    const runId = request.context?.runId;
    if (runId === undefined) return;
    let afterSeq = 0;
    const giveUpAt = Date.now() + giveUpMs;
    while (Date.now() < giveUpAt) {
      request.abortSignal?.throwIfAborted();
      const events = await store.read(runId, { afterSeq });
      const paused = events.some(
        (event) =>
          event.type === 'run-pause' && (event.data as { reason?: unknown } | null)?.reason === operatorPauseReason,
      );
      if (paused) return;
      afterSeq = events.at(-1)?.seq ?? afterSeq;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
}
