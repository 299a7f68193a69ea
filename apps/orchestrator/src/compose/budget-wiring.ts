import { CappedBudgetLedger, defaultRoleBudgetShares, type PricingHook, ResponseCache } from '@orchestrator/kernel';
import { assertPricedForBudget, createModelPricing, findPrice, PriceTable } from '@orchestrator/providers';
import type { Config, JournalEvent, JournalStore } from '@orchestrator/spec';
import { openBudgetStores } from '@orchestrator/store';
import { redactingResponseCacheStore } from './redacting-journal-store.ts';
import { policySecretRedactor } from './secret-redactor.ts';

/** The budget side of the CLI's runtime: the capped ledger, prices, the response cache, over the journal's database. */
export interface BudgetWiring {
  ledger: CappedBudgetLedger;
  pricing: PricingHook;
  responseCache: ResponseCache;
  prices: PriceTable;
  close(): Promise<void>;
}

/** The bundled price table extended (and overridden) by the `prices` of the configuration. */
export function priceTableOf(config: Config): PriceTable {
  return PriceTable.bundled(config.prices);
}

/**
 * Prices from the table, with every model of the offline `scripted` provider free (its ids carry injected faults,
 * e.g. `scripted-v1+planted-bug`, which no table lists: without this a capped offline run would be `model-unpriced`).
 */
export function cliPricing(prices: PriceTable): PricingHook {
  const priced = createModelPricing(prices);
  return {
    costOfUsage: (input) => (input.provider === 'scripted' ? 0 : priced.costOfUsage(input)),
    worstCaseUsd: (input) => (input.provider === 'scripted' ? 0 : priced.worstCaseUsd(input)),
    contextWindow: ({ provider, model }) => findPrice(prices, provider, model)?.contextWindow,
  };
}

/**
 * With a cap (`--max-usd`, `MAX_USD`, `budget.maxUsd`), refuses before the run starts when a bound model has no price
 * (`model-unpriced`, whose hint says how to add one under `prices`); the scripted provider is always free.
 */
export function assertRolesPriced(
  config: Config,
  roles: ReadonlyArray<{ provider: string; model: string }>,
  maxUsd: number | undefined = config.budget.maxUsd,
): void {
  assertPricedForBudget(priceTableOf(config), roles, maxUsd);
}

/**
 * Opens the budget and response-cache stores in the journal's database (`<dataDir>/journal.db`, or DATABASE_URL) and
 * builds the ledger that can never overshoot: the run cap from `budget.maxUsd` (`--max-usd`, `MAX_USD`), split into
 * each role's share (`defaultRoleBudgetShares`), the token ceiling of each step from `budget.maxTokensPerStep`. The response cache serves identical requests at $0 unless
 * `budget.cache` is false or `noCache` (`--no-cache`) is set.
 */
export async function openBudgetWiring(options: {
  config: Config;
  dataDir: string;
  noCache?: boolean;
}): Promise<BudgetWiring> {
  const { config, dataDir } = options;
  const stores = await openBudgetStores({
    dataDir,
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
  });
  const prices = priceTableOf(config);
  const pricing = cliPricing(prices);
  const ledger = new CappedBudgetLedger({
    store: stores.budget,
    pricing,
    ...(config.budget.maxUsd === undefined ? {} : { runCapUsd: config.budget.maxUsd }),
    ...(config.budget.maxTokensPerStep === undefined ? {} : { stepMaxTokens: config.budget.maxTokensPerStep }),
    // The split `plan --dry-run` prints is the one enforced: each role spends from its share of the cap.
    roleShares: defaultRoleBudgetShares,
  });
  const responseCache = new ResponseCache(redactingResponseCacheStore(stores.responseCache, policySecretRedactor), {
    enabled: config.budget.cache && options.noCache !== true,
  });
  return { ledger, pricing, responseCache, prices, close: () => stores.close() };
}

/**
 * The budget cap a run's journal puts in force: its `run-start` cap, replaced by each `run-resume` that changed
 * `maxUsd` (`orchestrator resume --max-usd`, the API's resume with more budget), the latest winning.
 */
export function journaledCapUsd(events: readonly JournalEvent[]): number | undefined {
  const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);
  let capUsd: number | undefined;
  for (const event of events) {
    if (event.type === 'run-start') capUsd = positive((event.data as { maxUsd?: unknown }).maxUsd);
    else if (event.type === 'run-resume') {
      capUsd = positive((event.data as { changes?: { maxUsd?: unknown } }).changes?.maxUsd) ?? capUsd;
    }
  }
  return capUsd;
}

/**
 * Before a run resumes: opens its account (a run that crashed before its first reservation has none yet) and settles
 * at their full amount the holds a crashed process left open, then puts in force the cap given (`resume --max-usd`)
 * or, without one, the latest the journal records (a resume through the API records it in `run-resume`).
 * Returns the cap in force.
 */
export async function prepareBudgetForResume(
  ledger: CappedBudgetLedger,
  store: JournalStore,
  runId: string,
  maxUsd: number | undefined,
): Promise<number | undefined> {
  const events = await store.read(runId);
  if (!events.some((event) => event.type === 'run-start')) return undefined; // resumeRun refuses it (run-not-found)
  const capUsd = maxUsd ?? journaledCapUsd(events);
  await ledger.openAccount({
    accountId: CappedBudgetLedger.runAccountId(runId),
    ...(capUsd === undefined ? {} : { capUsd }),
  });
  await ledger.prepareResume(runId, capUsd);
  return (await ledger.runSpend(runId)).capUsd;
}
