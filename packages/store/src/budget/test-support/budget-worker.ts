// A separate process reserving and settling against a shared budget store, for the cross-process tests.
// Usage: node budget-worker.ts <sqlite-file | postgres-url> <schema|-> <run-id> <cap-usd> <calls> <worker-name>
import { CappedBudgetLedger } from '@orchestrator/kernel/budget/capped-budget-ledger';
import type { BudgetStore } from '@orchestrator/spec';
import { PostgresBudgetStore, SqliteBudgetStore } from '../sql-budget-store.ts';

const [location = '', schema = '-', runId = '', capText = '0', callsText = '0', workerName = 'w'] =
  process.argv.slice(2);
const store: BudgetStore = location.startsWith('postgres')
  ? await PostgresBudgetStore.connect(location, schema === '-' ? {} : { schema })
  : SqliteBudgetStore.open(location);
const ledger = new CappedBudgetLedger({
  store,
  pricing: {
    costOfUsage: () => 0,
    worstCaseUsd: ({ inputTokens, maxOutputTokens }) => (inputTokens * 3 + maxOutputTokens * 15) / 1e6,
  },
  runCapUsd: Number(capText),
});
let grantedUsd = 0;
let granted = 0;
for (let index = 0; index < Number(callsText); index += 1) {
  const inputTokens = 1_000 + ((index * 7_919) % 9_000);
  const maxOutputTokens = 512 + ((index * 104_729) % 4_000);
  const result = await ledger.reserve({
    runId,
    callId: `${workerName}-${index}`,
    role: 'builder',
    provider: 'simulated',
    model: 'simulated',
    inputTokens,
    maxOutputTokens,
    worstCaseUsd: (inputTokens * 3 + maxOutputTokens * 15) / 1e6,
  });
  if (!result.ok) continue;
  granted += 1;
  grantedUsd += result.reservation.reservedUsd;
  await ledger.settle(result.reservation, result.reservation.reservedUsd);
}
await store.close();
process.stdout.write(JSON.stringify({ granted, grantedUsd }));
