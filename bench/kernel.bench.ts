// Kernel overhead with a zero-latency scripted model: median milliseconds per turn (in-memory workspace, so no git),
// on the in-memory and on the SQLite journal; and journal appends per second, batched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePricing, type KernelRuntime, NoCapBudgetLedger, startRun } from '@orchestrator/kernel';
import type { JournalStore, NewJournalEvent } from '@orchestrator/spec';
import { SqliteJournalStore } from '@orchestrator/store';
import { InMemoryJournalStore, InMemoryWorkspaceProvider, ScriptedModel } from '@orchestrator/testing';

const files = {
  'README.md': '# demo-greeter\n\nA tiny library that greets people.\n',
  'package.json': '{ "name": "demo-greeter", "type": "module", "scripts": { "test": "node --test" } }\n',
};
const roles = ['architect', 'builder', 'critic'].map((role) => ({ role, provider: 'scripted', model: 'scripted-v1' }));
const limits = { maxTurns: 12, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function msPerTurn(label: string, store: JournalStore, runs: number, task: string, builderModel = 'scripted-v1') {
  const samples: number[] = [];
  const runtime: KernelRuntime = {
    store,
    workspaces: new InMemoryWorkspaceProvider(files),
    modelFor: (binding) => new ScriptedModel({ modelId: binding.role === 'builder' ? builderModel : binding.model }),
    ledger: new NoCapBudgetLedger(),
    pricing: freePricing,
  };
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    const result = await startRun(runtime, { task, repo: '/bench', roles, limits });
    if (result.status !== 'converged') throw new Error(`bench run did not converge: ${result.status}`);
    if (index >= 5) samples.push((performance.now() - started) / result.turns);
  }
  console.log(`${label.padEnd(58)} median ${median(samples).toFixed(3)} ms/turn over ${samples.length} runs`);
}

async function appendsPerSecond(label: string, store: JournalStore, batches: number, batchSize: number) {
  await store.createRun('bench-appends', {});
  const batch: NewJournalEvent[] = Array.from({ length: batchSize }, (_, index) => ({
    type: 'step-start',
    stepId: `turn-${index}`,
    data: { role: 'builder', turn: index + 1, kind: 'implement' },
  }));
  const started = performance.now();
  for (let index = 0; index < batches; index += 1) await store.append('bench-appends', batch);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(58)} ${Math.round((batches * batchSize) / seconds).toLocaleString('en-US')} events/s`);
}

const directory = mkdtempSync(join(tmpdir(), 'orchestrator-bench-'));
try {
  await msPerTurn('turn, README task, in-memory journal', new InMemoryJournalStore(), 205, 'add a README section');
  await msPerTurn(
    'turn, function task with planted bug, in-memory journal',
    new InMemoryJournalStore(),
    105,
    'add a function with its test',
    'scripted-v1+planted-bug',
  );
  const sqlite = SqliteJournalStore.open(join(directory, 'turns.db'));
  await msPerTurn('turn, README task, SQLite journal (durable)', sqlite, 105, 'add a README section');
  await sqlite.close();
  await appendsPerSecond('journal appends, in-memory, batches of 100', new InMemoryJournalStore(), 500, 100);
  const appendStore = SqliteJournalStore.open(join(directory, 'appends.db'));
  await appendsPerSecond('journal appends, SQLite, batches of 100', appendStore, 500, 100);
  await appendsPerSecond('journal appends, SQLite, one event per append', appendStore, 2_000, 1);
  await appendStore.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
