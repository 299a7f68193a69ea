import type { TokenTotals } from './token-totals.ts';

/** Spend of one feature: a run label value (e.g. `feature=auth`), or a single unlabelled run. */
export interface FeatureSpend {
  /** The label value, or the run id when the run has no such label. */
  feature: string;
  /** True when `feature` is a run id (the run had no value for the grouping label). */
  singleRun: boolean;
  /** Runs in the feature. */
  runIds: string[];
  /** Totals over the feature's model calls. */
  totals: TokenTotals;
  /** USD per model id. */
  costByModel: Record<string, number>;
}

/** Spend per feature, most expensive first. */
export interface SpendReport {
  /** The label key runs are grouped by (`feature` by default). */
  groupBy: string;
  /** Features, most expensive first. */
  features: FeatureSpend[];
  /** Totals over every run in the report. */
  totals: TokenTotals;
}
