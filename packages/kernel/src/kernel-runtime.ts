import type { JournalStore, ModelPort, RecordedRole, TestTools, WorkspaceProvider } from '@orchestrator/spec';
import type { ResponseCache } from './budget/response-cache.ts';
import type { MessageBus } from './bus/message-bus.ts';
import type { DeliveryHook } from './delivery/delivery-hook.ts';
import type { KernelCheckpoint } from './journal/run-journal.ts';
import type { BudgetLedger } from './model/budget-ledger.ts';
import type { PricingHook } from './model/pricing-hook.ts';
import type { ContextProvider } from './prompt/context-provider.ts';

/** Everything the kernel needs, chosen by a composition root (CLI, server, worker, tests). The kernel picks nothing. */
export interface KernelRuntime {
  /** The journal store (SQLite in the CLI, in-memory in tests). */
  store: JournalStore;
  /** Opens the run's isolated workspace (git worktree in the CLI). */
  workspaces: WorkspaceProvider;
  /** Returns the model adapter for a role binding; throw a `UserError` for a provider that is not available. */
  modelFor(binding: RecordedRole): ModelPort;
  /** The budget ledger every model call goes through. */
  ledger: BudgetLedger;
  /** Prices calls (from the providers' price table). */
  pricing: PricingHook;
  /** Serves identical requests within and across runs at zero cost (`ResponseCache`); absent: no response cache. */
  responseCache?: ResponseCache;
  /** Token ceiling (input + output) of a step: prompts are packed to fit it (and the model's context window). */
  stepMaxTokens?: number;
  /**
   * The sandbox and test helpers (`createTestTools` from @orchestrator/sandbox). When present, the run detects the
   * repository's test command at start: a Test-writer's acceptance test must fail (red) before the Builder implements,
   * and every change is tested in the sandbox (green) before it may converge. Absent: no test runs.
   */
  testTools?: TestTools;
  /** Feeds repository code into prompts; defaults to `workspaceContextProvider()`. */
  contextProvider?: ContextProvider;
  /** Receives every journal event as it is appended (live output). */
  bus?: MessageBus;
  /** Wall clock, for the time cap; defaults to `Date.now`. */
  now?: () => number;
  /** Called after each durable step of the run; tests use it to kill the process at a precise point. */
  onCheckpoint?: (checkpoint: KernelCheckpoint) => void;
  /** Run id generator; defaults to `r-` + 10 random base-36 characters. */
  createRunId?: () => string;
  /** Delivers a converged run before `run-end` (commit, gates, push, pull request); absent: the change stays in the worktree. */
  deliver?: DeliveryHook;
}

/** How a run came out. A paused run is an expected outcome, with its reason. */
export interface RunResult {
  runId: string;
  status: 'converged' | 'paused' | 'failed' | 'cancelled';
  /** Why the run paused (stop rule, malformed output, budget, model error). */
  pause?: { reason: string; detail: string };
  /** Number of completed turns. */
  turns: number;
  /** The workspace diff at the end. */
  diff: string;
  /** USD spent on model calls. */
  spentUsd: number;
  /** Branch of the workspace. */
  branch: string;
}
