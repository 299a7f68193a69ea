// Budget ledger overhead per model call (reserve + settle through CappedBudgetLedger), sequential and with 8 concurrent
// reservers, on SQLite (a temp file) and on PostgreSQL when TEST_DATABASE_URL is set; and context packing time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CappedBudgetLedger } from '@orchestrator/kernel/budget/index';
import { packContext } from '@orchestrator/kernel/context/index';
import type { PricingHook } from '@orchestrator/kernel/model/pricing-hook';
import type { BudgetStore } from '@orchestrator/spec';
import { PostgresBudgetStore, SqliteBudgetStore } from '@orchestrator/store';
import pg from 'pg';

const pricing: PricingHook = {
  costOfUsage: () => 0,
  worstCaseUsd: ({ inputTokens, maxOutputTokens }) => (inputTokens * 3.75 + maxOutputTokens * 15) / 1e6,
};

async function callsPerSecond(label: string, store: BudgetStore, calls: number, concurrency: number): Promise<void> {
  const runId = `bench-${randomBytes(4).toString('hex')}`;
  const ledger = new CappedBudgetLedger({ store, pricing, runCapUsd: 1_000_000 });
  await ledger.openRun(runId);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < calls) {
      const index = next;
      next += 1;
      const result = await ledger.reserve({
        runId,
        callId: `${runId}-${index}`,
        role: 'builder',
        provider: 'bench',
        model: 'bench',
        inputTokens: 8_000,
        maxOutputTokens: 4_096,
        worstCaseUsd: pricing.worstCaseUsd({ provider: '', model: '', inputTokens: 8_000, maxOutputTokens: 4_096 }),
      });
      if (!result.ok) throw new Error('bench reservation refused');
      await ledger.settle(result.reservation, 0.01, 9_000);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(52)} ${(calls / seconds).toFixed(0).padStart(6)} calls/s  ${((seconds * 1000) / calls).toFixed(3)} ms/call`,
  );
}

const sqlite = SqliteBudgetStore.open(join(mkdtempSync(join(tmpdir(), 'budget-bench-')), 'journal.db'));
await callsPerSecond('SQLite reserve+settle, sequential', sqlite, 2_000, 1);
await callsPerSecond('SQLite reserve+settle, 8 concurrent', sqlite, 2_000, 8);
await sqlite.close();

const databaseUrl = process.env.TEST_DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.log('PostgreSQL: skipped (set TEST_DATABASE_URL)');
} else {
  const schema = `budget_bench_${randomBytes(4).toString('hex')}`;
  const postgres = await PostgresBudgetStore.connect(databaseUrl, { schema });
  try {
    await callsPerSecond('PostgreSQL reserve+settle, sequential', postgres, 500, 1);
    await callsPerSecond('PostgreSQL reserve+settle, 8 concurrent (one account)', postgres, 500, 8);
  } finally {
    await postgres.close();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

const code = Array.from({ length: 40 }, (_, index) => ({
  id: `src/file-${index}.ts#1-80`,
  text: 'export function example(value: number): number {\n  return value * 2;\n}\n'.repeat(40),
}));
const turns = Array.from({ length: 30 }, (_, index) => ({
  turn: index + 1,
  role: 'builder',
  text: 'A proposal with claims, evidence and a diff.\n'.repeat(60),
}));
const packStarted = performance.now();
const packs = 200;
let used = 0;
for (let index = 0; index < packs; index += 1) {
  used = packContext(
    { task: 'Add a /health endpoint', openRisks: [], citedCode: code, turns },
    { contextWindow: 200_000, stepTokenCeiling: 24_000, maxOutputTokens: 4_096 },
  ).usedTokens;
}
console.log(
  `${'context packing (40 chunks, 30 turns → 20k tokens)'.padEnd(52)} ${((performance.now() - packStarted) / packs).toFixed(3)} ms/pack (${used} tokens used)`,
);
