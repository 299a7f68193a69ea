import { GitWorkspaceProvider } from '@orchestrator/git';
import { type KernelCheckpoint, type KernelRuntime, MessageBus, NoCapBudgetLedger } from '@orchestrator/kernel';
import { createModel, createModelPricing, PriceTable } from '@orchestrator/providers';
import { createTestTools } from '@orchestrator/sandbox';
import type { Config } from '@orchestrator/spec';
import { openJournalStore } from '@orchestrator/store';
import { ScriptedModel } from '@orchestrator/testing';
import type { SandboxKind } from './sandbox-choice.ts';

export interface CliRuntime {
  runtime: KernelRuntime;
  bus: MessageBus;
  /** Releases the store (and with it every open handle). */
  close(): Promise<void>;
}

/**
 * The composition root of the CLI: the journal store in the data directory (SQLite, or PostgreSQL when DATABASE_URL is
 * set), git worktrees under the data directory, models from the role bindings (scripted offline, or the providers),
 * prices from the bundled table, the no-cap ledger until budgets land, and, when `sandbox` is given, the test tools:
 * tests run in bubblewrap (the data directory hidden from them) or, for `none`, on the host after a warning.
 * Creating the bubblewrap sandbox refuses with `sandbox-unavailable` (and how to install it) when bwrap is missing.
 */
export async function createCliRuntime(options: {
  config: Config;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  onCheckpoint?: (checkpoint: KernelCheckpoint) => void;
  /** Run tests (red/green) in this sandbox; overrides `config.sandbox.kind`. Omit for commands that run no tests. */
  sandbox?: SandboxKind;
  /** Receives the `--sandbox none` warning (printed to stderr by the CLI). */
  onWarning?: (warning: string) => void;
}): Promise<CliRuntime> {
  const { config, dataDir, env } = options;
  const testTools =
    options.sandbox === undefined
      ? undefined
      : createTestTools({
          ...config.sandbox,
          kind: options.sandbox,
          hiddenPaths: [dataDir],
          ...(options.onWarning === undefined ? {} : { onWarning: options.onWarning }),
        });
  const store = await openJournalStore({
    dataDir,
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
  });
  const bus = new MessageBus();
  const runtime: KernelRuntime = {
    store,
    workspaces: new GitWorkspaceProvider({ dataDir, branchPrefix: config.git.branchPrefix }),
    modelFor: (binding) =>
      createModel(
        { provider: binding.provider, model: binding.model, maxOutputTokens: binding.maxOutputTokens ?? 4096 },
        config.providers,
        env,
        { scripted: (scripted) => new ScriptedModel({ modelId: scripted.model }) },
      ),
    ledger: new NoCapBudgetLedger(),
    pricing: createModelPricing(PriceTable.bundled()),
    bus,
    ...(testTools === undefined ? {} : { testTools }),
    ...(options.onCheckpoint === undefined ? {} : { onCheckpoint: options.onCheckpoint }),
  };
  return { runtime, bus, close: () => store.close() };
}
