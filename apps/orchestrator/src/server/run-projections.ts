import type { JournalEvent, JournalStore, RunListItem, RunRecord, RunStatus, TokenTotals } from '@orchestrator/spec';
import {
  addCall,
  collectErrors,
  dataOf,
  type ErrorOccurrence,
  emptyTotals,
  type RunSpend,
  roundUsd,
} from '@orchestrator/store';

/** What the server keeps per run, folded incrementally: each refresh reads only the events appended since. */
interface RunFold {
  lastSeq: number;
  task: string;
  repo: string;
  maxUsd: number | null;
  status: RunStatus;
  startLabels: Record<string, string>;
  totals: TokenTotals;
  costByModel: Record<string, number>;
  errors: ErrorOccurrence[];
}

const pageSize = 5_000;

function emptyFold(): RunFold {
  return {
    lastSeq: 0,
    task: '',
    repo: '',
    maxUsd: null,
    status: 'empty',
    startLabels: {},
    totals: emptyTotals(),
    costByModel: {},
    errors: [],
  };
}

function fold(state: RunFold, events: readonly JournalEvent[]): void {
  for (const event of events) {
    state.lastSeq = event.seq;
    if (state.status === 'empty') state.status = 'running';
    switch (event.type) {
      case 'run-start': {
        const data = dataOf(event, 'run-start');
        if (data) {
          state.task = data.task;
          state.repo = data.repo;
          state.maxUsd = data.maxUsd ?? null;
          state.startLabels = data.labels;
        }
        break;
      }
      case 'model-call-end': {
        const data = dataOf(event, 'model-call-end');
        if (data) {
          addCall(state.totals, data);
          state.costByModel[data.model] = roundUsd((state.costByModel[data.model] ?? 0) + data.costUsd);
        }
        break;
      }
      case 'model-call-error':
        state.totals.failedCalls += 1;
        break;
      case 'run-pause':
        if (state.status === 'running') state.status = 'paused';
        break;
      case 'run-resume':
        if (state.status === 'paused') state.status = 'running';
        break;
      case 'run-end':
        state.status = dataOf(event, 'run-end')?.status ?? 'failed';
        break;
    }
  }
  state.errors.push(...collectErrors(events));
}

/**
 * Per-run summaries (list item, spend, errors) for the listing, spend and error endpoints. Folds are cached in memory
 * and advanced from the last seq they saw, so a dashboard polling a 100,000-event run re-reads nothing.
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
    const next = previous.then(() => this.#advance(record));
    this.#pending.set(
      record.runId,
      next.catch(() => undefined as unknown as RunFold),
    );
    return next;
  }

  async listItem(record: RunRecord): Promise<RunListItem> {
    const state = await this.refresh(record);
    return {
      runId: record.runId,
      status: state.status,
      task: state.task,
      repo: state.repo,
      spendUsd: state.totals.costUsd,
      maxUsd: state.maxUsd,
      lastSeq: record.lastSeq,
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
      totals: state.totals,
      costByModel: state.costByModel,
    };
  }

  async errors(record: RunRecord): Promise<ErrorOccurrence[]> {
    return (await this.refresh(record)).errors;
  }

  async #advance(record: RunRecord): Promise<RunFold> {
    const state = this.#folds.get(record.runId) ?? emptyFold();
    this.#folds.set(record.runId, state);
    for (;;) {
      const events = await this.#store.read(record.runId, { afterSeq: state.lastSeq, limit: pageSize });
      fold(state, events);
      if (events.length < pageSize) return state;
    }
  }
}
