import {
  applyRunControlEvents,
  emptyRunControlState,
  type JournalEvent,
  type RunControlState,
} from '@orchestrator/spec';

/** A re-run an operator asked for that the kernel has not played yet. */
export interface PendingRerun {
  /** Seq of the `step-rerun` request. */
  seq: number;
  stepId: string;
}

/**
 * What operators asked of the run the kernel drives, kept current from every event the kernel appends or observes
 * (its own and the control events the API appended meanwhile). A re-run request counts as handled once a `step-start`
 * of its step follows it in the journal, so a resumed process never plays it twice.
 */
export class RunControlTracker {
  readonly state: RunControlState = emptyRunControlState();
  /** stepId → seq of its latest `step-start`. */
  readonly #latestStart = new Map<string, number>();
  /** The latest instruction edit for every role (key `''`) and per role. */
  readonly #instructions = new Map<string, string>();
  readonly #dismissed = new Set<number>();

  /** Folds events (in seq order; events at or below the last seen are ignored). */
  observe(events: readonly JournalEvent[]): void {
    for (const event of events) {
      if (event.seq <= this.state.lastSeq) continue;
      if (event.type === 'step-start' && event.stepId !== undefined) this.#latestStart.set(event.stepId, event.seq);
      applyRunControlEvents(this.state, [event]);
      if (event.type === 'instruction-edit' && this.state.instruction?.seq === event.seq) {
        this.#instructions.set(this.state.instruction.role ?? '', this.state.instruction.instruction);
      }
    }
  }

  /** True when the latest pause or resume is a pause. */
  get paused(): boolean {
    return this.state.status === 'paused';
  }

  /** The oldest re-run request not followed by a `step-start` of its step (and not dismissed). */
  pendingRerun(): PendingRerun | undefined {
    return this.state.rerunRequests.find(
      (request) => !this.#dismissed.has(request.seq) && (this.#latestStart.get(request.stepId) ?? 0) < request.seq,
    );
  }

  /** Drops a re-run request that cannot be played (its step never completed), for this process. */
  dismiss(seq: number): void {
    this.#dismissed.add(seq);
  }

  /** The operator's instruction for this role's prompts: its own latest edit, else the latest edit for every role. */
  instructionFor(role: string): string | undefined {
    return this.#instructions.get(role) ?? this.#instructions.get('');
  }

  /** Approval ids with no decision yet. */
  get pendingApprovals(): readonly string[] {
    return this.state.pendingApprovals;
  }

  /** The first rejected approval, when any. */
  rejectedApproval(): string | undefined {
    return Object.entries(this.state.approvalDecisions).find(([, decision]) => decision === 'reject')?.[0];
  }

  /** The decision on one approval request, once a human gave it. */
  decisionOn(approvalId: string): 'approve' | 'reject' | undefined {
    return this.state.approvalDecisions[approvalId];
  }
}
