import {
  isJournalEventType,
  type JournalEvent,
  type JournalEventData,
  type JournalEventType,
  type JournalStore,
  parseJournalEventData,
} from '@orchestrator/spec';
import type { MessageBus } from '../bus/message-bus.ts';

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

/**
 * The single writer of one run's journal: validates payloads against the shared schemas, appends with optimistic
 * concurrency (two processes can never interleave a run), publishes each event on the bus.
 */
export class RunJournal {
  readonly runId: string;
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
  }) {
    this.runId = options.runId;
    this.store = options.store;
    this.lastSeq = options.lastSeq;
    this.bus = options.bus;
    this.onCheckpoint = options.onCheckpoint;
  }

  /** Appends events atomically, in order. */
  async append(events: readonly TypedNewEvent[]): Promise<JournalEvent[]> {
    const validated = events.map((event) => ({
      type: event.type,
      data: isJournalEventType(event.type) ? parseJournalEventData(event.type, event.data) : event.data,
      ...(event.stepId === undefined ? {} : { stepId: event.stepId }),
    }));
    const stored = await this.store.append(this.runId, validated, { expectedLastSeq: this.lastSeq });
    for (const event of stored) {
      this.lastSeq = event.seq;
      this.appended.push(event);
      this.bus?.publish(event);
      this.onCheckpoint?.({ kind: 'event-appended', seq: event.seq, type: event.type });
    }
    return stored;
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

  putBlob(content: string): Promise<string> {
    return this.store.putBlob(content);
  }

  getBlob(sha256: string): Promise<string | undefined> {
    return this.store.getBlob(sha256);
  }
}
