import {
  type JournalEvent,
  type ModelUsage,
  modelCallEndDataSchema,
  modelCallErrorDataSchema,
  modelCallStartDataSchema,
  runStartDataSchema,
} from '@orchestrator/spec';

/** Token counts of one kind of call (paid, or served from the response cache). */
export interface TokenBreakdown {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

/** Spend of a set of calls: paid vs cached tokens, USD settled. */
export interface SpendTotals {
  /** Calls that ended (paid or cached). */
  calls: number;
  /** Calls served from the response cache, at zero cost. */
  cachedCalls: number;
  /** Calls that failed (`model-call-error`). */
  failedCalls: number;
  /** Calls started but never ended nor failed (a crash; their reservation settles in full on resume). */
  openCalls: number;
  /** USD reserved by the open calls. */
  openReservedUsd: number;
  /** USD paid. */
  costUsd: number;
  /** Tokens of paid calls. */
  paidTokens: TokenBreakdown;
  /** Tokens the cached calls would have cost (as recorded when the reply was first paid for; 0 when unknown). */
  cachedTokens: TokenBreakdown;
}

/** Spend of one run, or one feature (runs sharing a label value). */
export interface SpendGroup {
  totals: SpendTotals;
  byRole: Record<string, SpendTotals>;
  byModel: Record<string, SpendTotals>;
}

export interface RunSpendEntry extends SpendGroup {
  runId: string;
  /** The run's value of the grouping label, when it has one. */
  feature: string | undefined;
  /** The run's cap, from `run-start`. */
  maxUsd: number | undefined;
}

export interface FeatureSpendEntry extends SpendGroup {
  feature: string;
  runIds: string[];
}

/** Spend per run and per feature, for `orchestrator runs spend <id> [--json]`. */
export interface SpendReportResult {
  /** The run label features are grouped by. */
  groupBy: string;
  runs: RunSpendEntry[];
  /** Features, most expensive first (runs without the label are left out). */
  features: FeatureSpendEntry[];
  totals: SpendTotals;
}

const emptyTokens = (): TokenBreakdown => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
});

export function emptySpendTotals(): SpendTotals {
  return {
    calls: 0,
    cachedCalls: 0,
    failedCalls: 0,
    openCalls: 0,
    openReservedUsd: 0,
    costUsd: 0,
    paidTokens: emptyTokens(),
    cachedTokens: emptyTokens(),
  };
}

/** The part of `run-start` the report reads (lenient about the rest, so older and newer runs both project). */
const runStartSpendSchema = runStartDataSchema.pick({ labels: true, maxUsd: true }).loose();

/** Float sums drift (0.1 + 0.2); spend is kept to a nano-dollar. */
const roundUsd = (value: number) => Math.round(value * 1e9) / 1e9;

function addTokens(target: TokenBreakdown, usage: ModelUsage): void {
  target.inputTokens += usage.inputTokens;
  target.outputTokens += usage.outputTokens;
  target.cacheReadTokens += usage.cacheReadTokens;
  target.cacheWriteTokens += usage.cacheWriteTokens;
  target.reasoningTokens += usage.reasoningTokens;
}

function mergeTotals(target: SpendTotals, source: SpendTotals): void {
  target.calls += source.calls;
  target.cachedCalls += source.cachedCalls;
  target.failedCalls += source.failedCalls;
  target.openCalls += source.openCalls;
  target.openReservedUsd = roundUsd(target.openReservedUsd + source.openReservedUsd);
  target.costUsd = roundUsd(target.costUsd + source.costUsd);
  addTokens(target.paidTokens, source.paidTokens);
  addTokens(target.cachedTokens, source.cachedTokens);
}

/** The totals under `key`, created empty on first use. */
function totalsAt(totalsByKey: Record<string, SpendTotals>, key: string): SpendTotals {
  const existing = totalsByKey[key];
  if (existing !== undefined) return existing;
  const created = emptySpendTotals();
  totalsByKey[key] = created;
  return created;
}

function emptyGroup(): SpendGroup {
  return { totals: emptySpendTotals(), byRole: {}, byModel: {} };
}

function mergeGroup(target: SpendGroup, source: SpendGroup): void {
  mergeTotals(target.totals, source.totals);
  for (const [role, totals] of Object.entries(source.byRole)) mergeTotals(totalsAt(target.byRole, role), totals);
  for (const [model, totals] of Object.entries(source.byModel)) {
    mergeTotals(totalsAt(target.byModel, model), totals);
  }
}

/** Applies one change to the group's totals, its role's and its model's. */
function record(group: SpendGroup, role: string, model: string, change: (totals: SpendTotals) => void): void {
  change(group.totals);
  change(totalsAt(group.byRole, role));
  change(totalsAt(group.byModel, model));
}

/** One run's spend, projected from its journal events (events of other runs are ignored). */
function projectRun(runId: string, events: readonly JournalEvent[], groupBy: string): RunSpendEntry {
  const group = emptyGroup();
  let feature: string | undefined;
  let maxUsd: number | undefined;
  const open = new Map<string, { role: string; model: string; reservedUsd: number }>();
  for (const event of events) {
    if (event.runId !== runId) continue;
    if (event.type === 'run-start') {
      const data = runStartSpendSchema.safeParse(event.data);
      if (data.success) {
        feature = data.data.labels[groupBy];
        maxUsd = data.data.maxUsd;
      }
    } else if (event.type === 'model-call-start') {
      const data = modelCallStartDataSchema.safeParse(event.data);
      if (data.success) open.set(data.data.callId, { ...data.data });
    } else if (event.type === 'model-call-end') {
      const parsed = modelCallEndDataSchema.safeParse(event.data);
      if (!parsed.success) continue;
      const data = parsed.data;
      open.delete(data.callId);
      record(group, data.role, data.model, (totals) => {
        totals.calls += 1;
        totals.costUsd = roundUsd(totals.costUsd + data.costUsd);
        if (data.cached) {
          totals.cachedCalls += 1;
          addTokens(totals.cachedTokens, data.usage);
        } else {
          addTokens(totals.paidTokens, data.usage);
        }
      });
    } else if (event.type === 'model-call-error') {
      const parsed = modelCallErrorDataSchema.safeParse(event.data);
      if (!parsed.success) continue;
      const started = open.get(parsed.data.callId);
      open.delete(parsed.data.callId);
      record(group, started?.role ?? 'unknown', started?.model ?? 'unknown', (totals) => {
        totals.failedCalls += 1;
      });
    }
  }
  for (const call of open.values()) {
    record(group, call.role, call.model, (totals) => {
      totals.openCalls += 1;
      totals.openReservedUsd = roundUsd(totals.openReservedUsd + call.reservedUsd);
    });
  }
  return { runId, feature, maxUsd, ...group };
}

/**
 * Spend report as a pure projection over journal events (one run's, or several runs' concatenated): per run and per
 * feature (runs sharing a value of the `groupBy` label, `feature` by default), broken down by role and model, with
 * paid and cached tokens apart. Model ids are the ones the provider reported serving.
 */
export function spendReport(events: readonly JournalEvent[], groupBy = 'feature'): SpendReportResult {
  const runIds = [...new Set(events.map((event) => event.runId))];
  const runs = runIds.map((runId) => projectRun(runId, events, groupBy));
  const features = new Map<string, FeatureSpendEntry>();
  const totals = emptySpendTotals();
  for (const run of runs) {
    mergeTotals(totals, run.totals);
    if (run.feature === undefined) continue;
    let feature = features.get(run.feature);
    if (feature === undefined) {
      feature = { feature: run.feature, runIds: [], ...emptyGroup() };
      features.set(run.feature, feature);
    }
    feature.runIds.push(run.runId);
    mergeGroup(feature, run);
  }
  const sortedFeatures = [...features.values()].sort(
    (left, right) => right.totals.costUsd - left.totals.costUsd || left.feature.localeCompare(right.feature),
  );
  return { groupBy, runs, features: sortedFeatures, totals };
}
