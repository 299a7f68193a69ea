import type { RecordedRole, RunLimits } from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes (scripted model, in-memory store and workspace).
import { InMemoryJournalStore, InMemoryWorkspaceProvider, ScriptedModel } from '@orchestrator/testing';
import { MessageBus } from '../src/bus/message-bus.ts';
import type { KernelRuntime } from '../src/kernel-runtime.ts';
import type { BudgetLedger } from '../src/model/budget-ledger.ts';
import { NoCapBudgetLedger } from '../src/model/budget-ledger.ts';
import { freePricing } from '../src/model/pricing-hook.ts';

export const sampleFiles: Record<string, string> = {
  'README.md': '# demo-greeter\n\nA tiny library that greets people.\n',
  'package.json': '{\n  "name": "demo-greeter",\n  "type": "module",\n  "scripts": { "test": "node --test" }\n}\n',
  'src/greet.js': "export function greet(name) {\n  return ['Hello', name].join(', ');\n}\n",
};

export const defaultLimits: RunLimits = { maxTurns: 12, maxRejections: 3, maxRepairAttempts: 1, maxMinutes: 60 };

export function roles(models: Partial<Record<'architect' | 'builder' | 'critic', string>> = {}): RecordedRole[] {
  return (['architect', 'builder', 'critic'] as const).map((role) => ({
    role,
    provider: 'scripted',
    model: models[role] ?? 'scripted-v1',
    maxOutputTokens: 4096,
  }));
}

export interface TestRuntime extends KernelRuntime {
  store: InMemoryJournalStore;
  workspaces: InMemoryWorkspaceProvider;
  models: ScriptedModel[];
  bus: MessageBus;
}

/** A runtime on the in-memory store and workspace; models are created per binding and kept for inspection. */
export function testRuntime(
  options: {
    files?: Record<string, string>;
    ledger?: BudgetLedger;
    store?: InMemoryJournalStore;
    workspaces?: InMemoryWorkspaceProvider;
  } = {},
): TestRuntime {
  const models: ScriptedModel[] = [];
  return {
    store: options.store ?? new InMemoryJournalStore(),
    workspaces: options.workspaces ?? new InMemoryWorkspaceProvider(options.files ?? sampleFiles),
    ledger: options.ledger ?? new NoCapBudgetLedger(),
    pricing: freePricing,
    bus: new MessageBus(),
    models,
    modelFor(binding) {
      const model = new ScriptedModel({ modelId: binding.model });
      models.push(model);
      return model;
    },
  };
}

export function callsOf(runtime: TestRuntime): number {
  return runtime.models.reduce((total, model) => total + model.calls.length, 0);
}
