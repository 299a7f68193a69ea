import {
  isJournalEventType,
  isOperatorControlEvent,
  type JournalEvent,
  type JournalEventData,
  type JournalEventType,
  type JournalStore,
  OrchestratorError,
  parseJournalEventData,
  SystemError,
} from '@orchestrator/spec';
import type { MessageBus } from '../bus/message-bus.ts';
import { RunControlTracker } from '../control/run-control-tracker.ts';

/** A point in a run where a crash can be injected by tests (see `KernelRuntime.onCheckpoint`). */
export type KernelCheckpoint =
  | { kind: 'event-appended'; seq: number; type: string }
  | { kind: 'edits-applied'; turn: number };

/** An event to append, typed by its `type`. */
export interface TypedNewEvent<Type extends JournalEventType = JournalEventType> {
  type: Type;
  data: JournalEventData<Type>;
  stepId?: string;
}

/** How many times an append is retried after operators' control events got in first. */
const maxControlRetries = 20;

/**
 * The single writer of one run's journal: validates payloads against the shared schemas, appends with optimistic
 * concurrency (two processes can never interleave a run), publishes each event on the bus. Operators' control events
 * (pause, resume, instruction edit, step re-run, approval decision) that the API appended meanwhile are the one
 * exception: an append that conflicts only with those takes them in (`control`, `takeAppended`, the bus) and retries.
 */
export class RunJournal {
  readonly runId: string;
  /** What operators asked of this run, folded from every event seen. */
  readonly control = new RunControlTracker();
  private readonly store: JournalStore;
  private readonly bus: MessageBus | undefined;
  private readonly onCheckpoint: ((checkpoint: KernelCheckpoint) => void) | undefined;
  private lastSeq: number;
  private appended: JournalEvent[] = [];

  constructor(options: {
    runId: string;
    store: JournalStore;
    lastSeq: number;
    bus?: MessageBus | undefined;
    onCheckpoint?: ((checkpoint: KernelCheckpoint) => void) | undefined;
    /** The run's events so far (when resuming), for the control state. */
    history?: readonly JournalEvent[] | undefined;
  }) {
    this.runId = options.runId;
    this.store = options.store;
    this.lastSeq = options.lastSeq;
    this.bus = options.bus;
    this.onCheckpoint = options.onCheckpoint;
    if (options.history !== undefined) this.control.observe(options.history);
  }

  /** Highest seq this journal has written or taken in. */
  get seq(): number {
    return this.lastSeq;
  }

  /** Appends events atomically, in order. */
  async append(events: readonly TypedNewEvent[]): Promise<JournalEvent[]> {
    const validated = events.map((event) => ({
      type: event.type,
      data: isJournalEventType(event.type) ? parseJournalEventData(event.type, event.data) : event.data,
      ...(event.stepId === undefined ? {} : { stepId: event.stepId }),
    }));
    for (let attempt = 0; ; attempt += 1) {
      let stored: JournalEvent[];
      try {
        stored = await this.store.append(this.runId, validated, { expectedLastSeq: this.lastSeq });
      } catch (error) {
        const conflict = OrchestratorError.isInstance(error) && error.code === 'journal-conflict';
        if (!conflict || attempt >= maxControlRetries || !(await this.takeInControlEvents())) throw error;
        continue;
      }
      for (const event of stored) {
        this.lastSeq = event.seq;
        this.appended.push(event);
        this.control.observe([event]);
        this.bus?.publish(event);
        this.onCheckpoint?.({ kind: 'event-appended', seq: event.seq, type: event.type });
      }
      return stored;
    }
  }

  /**
   * Takes in the events appended by others since this journal's last seq, when all of them are operators' control
   * events; returns false (taking nothing) when there are none or another writer appended kernel events.
   */
  async takeInControlEvents(): Promise<boolean> {
    const foreign = await this.store.read(this.runId, { afterSeq: this.lastSeq });
    if (foreign.length === 0 || !foreign.every((event) => isOperatorControlEvent(event))) return false;
    for (const event of foreign) {
      this.lastSeq = event.seq;
      this.appended.push(event);
      this.control.observe([event]);
      this.bus?.publish(event);
    }
    return true;
  }

  /**
   * At a step boundary: takes in the control events operators appended since the last append. Throws
   * `journal-conflict` when another writer appended anything else (two processes driving one run).
   */
  async syncControl(): Promise<void> {
    const foreign = await this.store.read(this.runId, { afterSeq: this.lastSeq, limit: 1 });
    if (foreign.length === 0) return;
    if (!(await this.takeInControlEvents())) {
      throw new SystemError({
        code: 'journal-conflict',
        message: `Run ${this.runId} was appended to by another writer (seq ${this.lastSeq + 1} is not an operator's control event).`,
        hint: 'Make sure only one process runs it (orchestrator runs list), then resume it.',
        details: { runId: this.runId, lastSeq: this.lastSeq },
      });
    }
  }

  /** Appends one event. */
  async appendOne<Type extends JournalEventType>(
    type: Type,
    data: JournalEventData<Type>,
    stepId?: string,
  ): Promise<JournalEvent> {
    const [stored] = await this.append([{ type, data, ...(stepId === undefined ? {} : { stepId }) } as TypedNewEvent]);
    return stored!;
  }

  /** Events appended since the last call (for folding into the run state without reading the store back). */
  takeAppended(): JournalEvent[] {
    const events = this.appended;
    this.appended = [];
    return events;
  }

  checkpoint(checkpoint: KernelCheckpoint): void {
    this.onCheckpoint?.(checkpoint);
  }

  /** The journaled events of one step (every attempt), read from the store. */
  async readStep(stepId: string): Promise<JournalEvent[]> {
    return (await this.store.read(this.runId)).filter((event) => event.stepId === stepId);
  }

  putBlob(content: string): Promise<string> {
    return this.store.putBlob(content);
  }

  getBlob(sha256: string): Promise<string | undefined> {
    return this.store.getBlob(sha256);
  }
}
