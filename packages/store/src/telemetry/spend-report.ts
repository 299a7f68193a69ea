import type { FeatureSpend, JournalEvent, SpendReport, TokenTotals } from '@orchestrator/spec';
import { dataOf } from './known-event.ts';
import { addCall, emptyTotals, mergeTotals, roundUsd } from './token-totals.ts';

/** One run's spend, the unit the report groups. */
export interface RunSpend {
  runId: string;
  /** The run's labels (store record merged with `run-start.labels`). */
  labels: Record<string, string>;
  totals: TokenTotals;
  costByModel: Record<string, number>;
}

/** Sums a run's model calls. `labels` are the store record's; `run-start` labels fill in missing keys. */
export function summarizeRunSpend(
  runId: string,
  labels: Record<string, string>,
  events: readonly JournalEvent[],
): RunSpend {
  const totals = emptyTotals();
  const costByModel: Record<string, number> = {};
  let startLabels: Record<string, string> = {};
  for (const event of events) {
    if (event.type === 'model-call-end') {
      const data = dataOf(event, 'model-call-end');
      if (!data) continue;
      addCall(totals, data);
      costByModel[data.model] = roundUsd((costByModel[data.model] ?? 0) + data.costUsd);
    } else if (event.type === 'model-call-error') {
      totals.failedCalls += 1;
    } else if (event.type === 'run-start') {
      startLabels = dataOf(event, 'run-start')?.labels ?? startLabels;
    }
  }
  return { runId, labels: { ...startLabels, ...labels }, totals, costByModel };
}

/**
 * Spend per feature: runs sharing a value of the `groupBy` label form one feature; a run without it is its own
 * feature (named by its run id). Most expensive first.
 */
export function buildSpendReport(runs: readonly RunSpend[], groupBy = 'feature'): SpendReport {
  const features = new Map<string, FeatureSpend>();
  const totals = emptyTotals();
  for (const run of runs) {
    const label = run.labels[groupBy];
    const key = label === undefined ? `run:${run.runId}` : `label:${label}`;
    let feature = features.get(key);
    if (feature === undefined) {
      feature = {
        feature: label ?? run.runId,
        singleRun: label === undefined,
        runIds: [],
        totals: emptyTotals(),
        costByModel: {},
      };
      features.set(key, feature);
    }
    feature.runIds.push(run.runId);
    mergeTotals(feature.totals, run.totals);
    mergeTotals(totals, run.totals);
    for (const [model, cost] of Object.entries(run.costByModel)) {
      feature.costByModel[model] = roundUsd((feature.costByModel[model] ?? 0) + cost);
    }
  }
  const sorted = [...features.values()].sort(
    (left, right) => right.totals.costUsd - left.totals.costUsd || left.feature.localeCompare(right.feature),
  );
  return { groupBy, features: sorted, totals };
}
