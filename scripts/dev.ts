// Development loop: the real debate kernel, in memory (journal store and workspace), with the scripted mock agents
// playing Architect, Builder and Critic on a sample task. Prints each turn and the diff, then exits cleanly.

import { findSequenceProblems, freePricing, MessageBus, NoCapBudgetLedger, startRun } from '@orchestrator/kernel';
import { toTypedJournalEvent } from '@orchestrator/spec';
import { InMemoryJournalStore, InMemoryWorkspaceProvider, ScriptedModel } from '@orchestrator/testing';
import { describeMessage } from '../apps/orchestrator/src/compose/run-printer.ts';

const task = process.argv[2] ?? 'add a README section';
const store = new InMemoryJournalStore();
const bus = new MessageBus();
bus.subscribe((raw) => {
  const event = toTypedJournalEvent(raw);
  if (event?.type === 'message')
    for (const line of describeMessage(event.data.role, event.data.turn, event.data.message)) console.log(line);
});
const result = await startRun(
  {
    store,
    workspaces: new InMemoryWorkspaceProvider({
      'README.md': '# demo-greeter\n\nA tiny library that greets people.\n',
      'package.json': '{ "name": "demo-greeter", "type": "module", "scripts": { "test": "node --test" } }\n',
    }),
    modelFor: (binding) => new ScriptedModel({ modelId: binding.model }),
    ledger: new NoCapBudgetLedger(),
    pricing: freePricing,
    bus,
  },
  {
    task,
    repo: '/in-memory/demo-greeter',
    roles: ['architect', 'builder', 'critic'].map((role) => ({ role, provider: 'scripted', model: 'scripted-v1' })),
    limits: { maxTurns: 12, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 },
  },
);
const events = await store.read(result.runId);
console.log(`\n${result.diff}`);
console.log(
  `${result.status.toUpperCase()} after ${result.turns} turns · ${events.length} journal events` +
    (findSequenceProblems(events).length === 0
      ? ', gap-free'
      : `, PROBLEMS: ${findSequenceProblems(events).join('; ')}`),
);
await store.close();
process.exitCode = result.status === 'converged' ? 0 : 1;
