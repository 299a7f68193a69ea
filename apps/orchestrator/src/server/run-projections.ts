import {
  applyRunControlEvents,
  emptyRunControlState,
  type JournalEvent,
  type JournalStore,
  type RunControlState,
  type RunListItem,
  type RunRecord,
} from '@orchestrator/spec';
import {
  collectErrors,
  dataOf,
  type ErrorOccurrence,
  type RunSpend,
  roundUsd,
  TimelineAccumulator,
} from '@orchestrator/store';

/** What the server keeps per run, folded incrementally: each refresh reads only the events appended since. */
export interface RunFold {
  lastSeq: number;
  repo: string;
  maxUsd: number | null;
  startLabels: Record<string, string>;
  costByModel: Record<string, number>;
  errors: ErrorOccurrence[];
  timeline: TimelineAccumulator;
  control: RunControlState;
}

const pageSize = 5_000;

function emptyFold(): RunFold {
  return {
    lastSeq: 0,
    repo: '',
    maxUsd: null,
    startLabels: {},
    costByModel: {},
    errors: [],
    timeline: new TimelineAccumulator(),
    control: emptyRunControlState(),
  };
}

function fold(state: RunFold, events: readonly JournalEvent[]): void {
  if (events.length === 0) return;
  for (const event of events) {
    if (event.type === 'run-start') {
      const data = dataOf(event, 'run-start');
      if (data) {
        state.repo = data.repo;
        state.maxUsd = data.maxUsd ?? null;
        state.startLabels = data.labels;
      }
    } else if (event.type === 'model-call-end') {
      const data = dataOf(event, 'model-call-end');
      if (data) state.costByModel[data.model] = roundUsd((state.costByModel[data.model] ?? 0) + data.costUsd);
    }
  }
  state.timeline.apply(events);
  applyRunControlEvents(state.control, events);
  state.errors.push(...collectErrors(events));
  state.lastSeq = events.at(-1)!.seq;
}

/**
 * Per-run projections (list item, timeline state, control state, spend, errors) for the API. Folds are cached in
 * memory and advanced from the last seq they saw, so a dashboard polling a 100,000-event run re-reads nothing.
 */
export class RunProjections {
  readonly #store: JournalStore;
  readonly #folds = new Map<string, RunFold>();
  readonly #pending = new Map<string, Promise<RunFold>>();

  constructor(store: JournalStore) {
    this.#store = store;
  }

  /** Advances (serially per run) and returns the run's fold. */
  refresh(record: RunRecord): Promise<RunFold> {
    const previous = this.#pending.get(record.runId) ?? Promise.resolve(undefined);
    const next = previous.then(() => this.#advance(record.runId));
    this.#pending.set(
      record.runId,
      next.catch(() => undefined as unknown as RunFold),
    );
    return next;
  }

  async listItem(record: RunRecord): Promise<RunListItem> {
    const state = await this.refresh(record);
    const summary = state.timeline.timeline([]);
    return {
      runId: record.runId,
      status: summary.status,
      task: summary.task ?? '',
      repo: state.repo,
      spendUsd: summary.totals.costUsd,
      maxUsd: state.maxUsd,
      lastSeq: state.lastSeq,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      labels: { ...state.startLabels, ...record.labels },
    };
  }

  async runSpend(record: RunRecord): Promise<RunSpend> {
    const state = await this.refresh(record);
    return {
      runId: record.runId,
      labels: { ...state.startLabels, ...record.labels },
      totals: state.timeline.timeline([]).totals,
      costByModel: { ...state.costByModel },
    };
  }

  async errors(record: RunRecord): Promise<ErrorOccurrence[]> {
    return (await this.refresh(record)).errors;
  }

  async #advance(runId: string): Promise<RunFold> {
    const state = this.#folds.get(runId) ?? emptyFold();
    this.#folds.set(runId, state);
    for (;;) {
      const events = await this.#store.read(runId, { afterSeq: state.lastSeq, limit: pageSize });
      fold(state, events);
      if (events.length < pageSize) return state;
    }
  }
}
