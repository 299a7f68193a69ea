import {
  type JournalEvent,
  type JournalStore,
  type NewJournalEvent,
  OrchestratorError,
  operatorPauseReason,
  type RunControlState,
  readRunControlState,
  UserError,
} from '@orchestrator/spec';

/** Who asked, recorded in the control events (`api`, `console`, a user name). */
export interface ControlActor {
  by: string;
}

const maxAttempts = 5;

function stateError(code: string, message: string, hint: string, details: Record<string, unknown>): UserError {
  return new UserError({ code, message, hint, details });
}

/**
 * Operator controls of a run, written as control events into its journal (pause, resume, instruction edit, step
 * re-run, approval decision). Each request is checked against the run's state and appended with `expectedLastSeq`,
 * so it can never be based on a stale view: on a conflict with the kernel's own appends it re-reads and re-checks.
 */
export class JournalRunControl {
  readonly #store: JournalStore;

  constructor(store: JournalStore) {
    this.#store = store;
  }

  pause(runId: string, input: ControlActor & { detail?: string | undefined }): Promise<JournalEvent[]> {
    return this.#apply(runId, (state) => {
      if (state.status !== 'running') {
        throw stateError(
          'run-not-running',
          `Run ${runId} is ${state.status}; only a running run can be paused.`,
          'Refresh the run; a paused run can be resumed, an ended one re-run.',
          { runId, status: state.status },
        );
      }
      return [
        { type: 'run-pause', data: { reason: operatorPauseReason, detail: input.detail ?? `Paused by ${input.by}.` } },
      ];
    });
  }

  resume(
    runId: string,
    input: ControlActor & {
      changes?:
        | { instruction?: string | undefined; maxUsd?: number | undefined; maxTurns?: number | undefined }
        | undefined;
    },
  ): Promise<JournalEvent[]> {
    return this.#apply(runId, (state) => {
      if (state.status !== 'paused') {
        throw stateError(
          'run-not-paused',
          `Run ${runId} is ${state.status}; only a paused run can be resumed.`,
          'Refresh the run to see its current state.',
          { runId, status: state.status },
        );
      }
      const events: NewJournalEvent[] = [];
      if (input.changes?.instruction !== undefined) {
        events.push({ type: 'instruction-edit', data: { instruction: input.changes.instruction, by: input.by } });
      }
      const changes = Object.fromEntries(
        Object.entries(input.changes ?? {}).filter(([, value]) => value !== undefined),
      );
      const hasChanges = Object.keys(changes).length > 0;
      events.push({ type: 'run-resume', data: { by: input.by, ...(hasChanges ? { changes } : {}) } });
      return events;
    });
  }

  editInstruction(
    runId: string,
    input: ControlActor & { instruction: string; role?: string | undefined },
  ): Promise<JournalEvent[]> {
    return this.#apply(runId, (state) => {
      this.#requireNotEnded(runId, state);
      return [
        {
          type: 'instruction-edit',
          data: {
            instruction: input.instruction,
            by: input.by,
            ...(input.role === undefined ? {} : { role: input.role }),
          },
        },
      ];
    });
  }

  rerunStep(
    runId: string,
    stepId: string,
    input: ControlActor & { reason?: string | undefined },
  ): Promise<JournalEvent[]> {
    return this.#apply(runId, (state) => {
      this.#requireNotEnded(runId, state);
      if (!state.knownSteps.includes(stepId)) {
        throw stateError(
          'step-not-found',
          `Run ${runId} has no step ${stepId}.`,
          'Use a stepId from the run timeline.',
          { runId, stepId },
        );
      }
      return [
        {
          type: 'step-rerun',
          data: { stepId, by: input.by, ...(input.reason === undefined ? {} : { reason: input.reason }) },
        },
      ];
    });
  }

  decide(
    runId: string,
    approvalId: string,
    input: ControlActor & { decision: 'approve' | 'reject'; comment?: string | undefined },
  ): Promise<JournalEvent[]> {
    return this.#apply(runId, (state) => {
      this.#requireNotEnded(runId, state);
      if (state.approvalDecisions[approvalId] !== undefined) {
        throw stateError(
          'approval-already-decided',
          `Approval ${approvalId} of run ${runId} was already answered (${state.approvalDecisions[approvalId]}).`,
          'Refresh the run; a decision cannot be changed.',
          { runId, approvalId },
        );
      }
      if (!state.pendingApprovals.includes(approvalId)) {
        throw stateError(
          'approval-not-found',
          `Run ${runId} has no pending approval ${approvalId}.`,
          'Use the id of an approval-request event of this run.',
          { runId, approvalId },
        );
      }
      return [
        {
          type: 'approval-decision',
          data: {
            approvalId,
            decision: input.decision,
            by: input.by,
            ...(input.comment === undefined ? {} : { comment: input.comment }),
          },
        },
      ];
    });
  }

  #requireNotEnded(runId: string, state: RunControlState): void {
    if (state.status === 'ended') {
      throw stateError('run-ended', `Run ${runId} has ended.`, 'Start a new run to change anything.', { runId });
    }
  }

  async #apply(runId: string, decide: (state: RunControlState) => NewJournalEvent[]): Promise<JournalEvent[]> {
    for (let attempt = 1; ; attempt += 1) {
      if ((await this.#store.getRun(runId)) === undefined) {
        throw stateError('run-not-found', `There is no run ${runId}.`, 'List runs with GET /api/runs.', { runId });
      }
      const state = readRunControlState(await this.#store.read(runId));
      const events = decide(state);
      try {
        return await this.#store.append(runId, events, { expectedLastSeq: state.lastSeq });
      } catch (error) {
        const conflict = OrchestratorError.isInstance(error) && error.code === 'journal-conflict';
        if (!conflict || attempt >= maxAttempts) throw error;
      }
    }
  }
}
