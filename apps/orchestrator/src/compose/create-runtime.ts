import { GitWorkspaceProvider } from '@orchestrator/git';
import { type CappedBudgetLedger, type KernelCheckpoint, type KernelRuntime, MessageBus } from '@orchestrator/kernel';
import { holdUntilOperatorPause } from '@orchestrator/kernel/control/hold-until-operator-pause';
import { createModel } from '@orchestrator/providers';
import { createTestTools } from '@orchestrator/sandbox';
import type { Config } from '@orchestrator/spec';
import { openJournalStore } from '@orchestrator/store';
import { ScriptedModel } from '@orchestrator/testing';
import { openBudgetWiring } from './budget-wiring.ts';
import { ensurePrivateDirectory } from './private-files.ts';
import { RedactingJournalStore } from './redacting-journal-store.ts';
import { redactingModel } from './redacting-model.ts';
import { createRetrievalWiring } from './retrieval-wiring.ts';
import type { SandboxKind } from './sandbox-choice.ts';
import { policySecretRedactor } from './secret-redactor.ts';
import { withStaticReviewFindings } from './static-review-context.ts';

/**
 * The journal store of every command and of `orchestrator serve`: the data directory made private (0700), the store
 * opened in it (SQLite, or PostgreSQL when DATABASE_URL is set), and wrapped so every event, label and blob is scanned
 * before it is written: secrets never reach the journal (only fingerprints do).
 */
export async function openRuntimeJournalStore(options: {
  dataDir: string;
  databaseUrl?: string;
}): Promise<RedactingJournalStore> {
  ensurePrivateDirectory(options.dataDir);
  return new RedactingJournalStore(await openJournalStore(options), policySecretRedactor);
}

export interface CliRuntime {
  runtime: KernelRuntime;
  bus: MessageBus;
  /** The run's budget ledger (`resume --max-usd` raises the cap through `prepareResume`). */
  ledger: CappedBudgetLedger;
  /** Releases the store (and with it every open handle). */
  close(): Promise<void>;
}

/**
 * The composition root of the CLI: the journal store in the data directory (SQLite, or PostgreSQL when DATABASE_URL is
 * set), git worktrees under the data directory, models from the role bindings (scripted offline, or the providers),
 * prices from the bundled table and `prices`, the capped ledger and response cache in the journal's database
 * (`openBudgetWiring`), and, when `sandbox` is given, the test tools: tests run in bubblewrap (the data directory
 * hidden from them) or, for `none`, on the host after a warning.
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
  /** `--no-cache`: neither serve nor store replies in the response cache. */
  noCache?: boolean;
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
  const store = await openRuntimeJournalStore({
    dataDir,
    ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
  });
  const budget = await openBudgetWiring({ config, dataDir, noCache: options.noCache === true });
  const bus = new MessageBus();
  // Retrieve-then-prompt: each turn gets the worktree's best chunks (ids the kernel checks citations against).
  const retrieval = createRetrievalWiring({ config, dataDir, env, onWarning: options.onWarning });
  const runtime: KernelRuntime = {
    store,
    // The Architect also sees the static reviewer's findings on the code as it stands (raised as risks in the plan).
    contextProvider: withStaticReviewFindings(retrieval?.contextProvider),
    workspaces: new GitWorkspaceProvider({ dataDir, branchPrefix: config.git.branchPrefix }),
    // Prompts are scanned before they leave the machine: a secret in the repository never reaches a model vendor.
    modelFor: (binding) =>
      redactingModel(
        createModel(
          { provider: binding.provider, model: binding.model, maxOutputTokens: binding.maxOutputTokens ?? 4096 },
          config.providers,
          env,
          {
            scripted: (scripted) => new ScriptedModel({ modelId: scripted.model, hold: holdUntilOperatorPause(store) }),
          },
        ),
        policySecretRedactor,
      ),
    ledger: budget.ledger,
    pricing: budget.pricing,
    responseCache: budget.responseCache,
    ...(config.budget.maxTokensPerStep === undefined ? {} : { stepMaxTokens: config.budget.maxTokensPerStep }),
    bus,
    ...(testTools === undefined ? {} : { testTools }),
    ...(options.onCheckpoint === undefined ? {} : { onCheckpoint: options.onCheckpoint }),
  };
  return {
    runtime,
    bus,
    ledger: budget.ledger,
    close: async () => {
      retrieval?.close();
      await budget.close();
      await store.close();
    },
  };
}
