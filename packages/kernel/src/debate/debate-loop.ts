import {
  type ModelPort,
  type RecordedRole,
  type RunLimits,
  type RunStartData,
  SystemError,
  UserError,
} from '@orchestrator/spec';
import { honourRunControl, withOperatorInstruction } from '../control/step-boundary.ts';
import { runDeliveryHook } from '../delivery/delivery-hook.ts';
import { RunJournal } from '../journal/run-journal.ts';
import { foldRunEvents, projectRun, type RunState } from '../journal/run-projection.ts';
import type { KernelRuntime, RunResult } from '../kernel-runtime.ts';
import { ModelCallGateway } from '../model/model-call-gateway.ts';
import { workspaceContextProvider } from '../prompt/context-provider.ts';
import { needsBaseline, runBaseline } from '../test-gate/baseline.ts';
import { detectRunTests, isTesting } from '../test-gate/run-tests.ts';
import { evaluateConvergence, evaluateStopRules } from './convergence.ts';
import { modelEditedPaths } from './model-edited-paths.ts';
import { runTurn } from './run-turn.ts';
import { type NextTurn, nextTurn } from './turn-order.ts';

/** What a new run needs. */
export interface StartRunInput {
  task: string;
  /** Absolute path of the target repository. */
  repo: string;
  roles: readonly RecordedRole[];
  limits: RunLimits;
  labels?: Record<string, string>;
  maxUsd?: number;
  /** The Critic critiques each proposal before the Builder implements it (one more turn per round). */
  critiqueProposals?: boolean;
  /** Fixed run id (tests); generated otherwise. */
  runId?: string;
}

/** A short, branch-safe name of the task. */
export function slugOf(task: string): string {
  const slug = task
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? 'task' : slug;
}

function randomRunId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `r-${Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function modelsFor(runtime: KernelRuntime, roles: readonly RecordedRole[]): Map<string, ModelPort> {
  return new Map(roles.map((binding) => [binding.role, runtime.modelFor(binding)]));
}

/** Starts a run and drives it until it converges or pauses. */
export async function startRun(runtime: KernelRuntime, input: StartRunInput): Promise<RunResult> {
  if (input.task.trim() === '') {
    throw new UserError({
      code: 'run-empty-task',
      message: 'The task is empty.',
      hint: 'Describe the change to make.',
    });
  }
  const models = modelsFor(runtime, input.roles);
  const runId = input.runId ?? (runtime.createRunId ?? randomRunId)();
  const start: RunStartData = {
    task: input.task.trim(),
    repo: input.repo,
    slug: slugOf(input.task),
    labels: input.labels ?? {},
    roles: input.roles.map((role) => ({ ...role })),
    limits: { ...input.limits },
    ...(input.maxUsd === undefined ? {} : { maxUsd: input.maxUsd }),
    ...(input.critiqueProposals === true ? { critiqueProposals: true } : {}),
  };
  // Open the workspace first: a repository that cannot host a worktree fails before any run is recorded.
  const workspace = await runtime.workspaces.open({ repo: start.repo, runId, slug: start.slug });
  const tests = detectRunTests(runtime.testTools, workspace.root);
  if (tests !== undefined) start.tests = tests;
  await runtime.store.createRun(runId, { task: start.task, repo: start.repo, ...start.labels });
  const existing = await runtime.store.getRun(runId);
  if ((existing?.lastSeq ?? 0) > 0) {
    throw new UserError({
      code: 'run-exists',
      message: `Run ${runId} already exists.`,
      hint: `Continue it with: orchestrator resume ${runId}`,
    });
  }
  const journal = new RunJournal({
    runId,
    store: runtime.store,
    lastSeq: 0,
    bus: runtime.bus,
    onCheckpoint: runtime.onCheckpoint,
  });
  await journal.appendOne('run-start', start);
  return drive(runtime, journal, projectRun(runId, journal.takeAppended()), models);
}

/** Options of `resumeRun`. */
export interface ResumeRunOptions {
  /** Who resumes (`cli`, `api`, a user name). */
  by?: string;
  /** Raised limits, recorded in `run-resume` (e.g. `{ maxTurns: 20 }`; `maxUsd`: the budget cap the ledger was given). */
  changes?: Partial<RunLimits> & { maxUsd?: number };
}

/**
 * Continues a paused or interrupted run from its journal: completed turns are not re-executed, an interrupted turn is
 * finished from where its journal stops. Resuming an ended run returns its result without doing anything.
 */
export async function resumeRun(
  runtime: KernelRuntime,
  runId: string,
  options: ResumeRunOptions = {},
): Promise<RunResult> {
  const events = await runtime.store.read(runId);
  const state = projectRun(runId, events);
  if (!state.start) {
    throw new UserError({
      code: 'run-not-found',
      message: `There is no run ${runId} in this data directory.`,
      hint: 'List runs with: orchestrator runs list',
    });
  }
  const models = modelsFor(runtime, state.start.roles);
  const journal = new RunJournal({
    runId,
    store: runtime.store,
    lastSeq: state.lastSeq,
    bus: runtime.bus,
    onCheckpoint: runtime.onCheckpoint,
    history: events,
  });
  if (state.status !== 'running' && state.status !== 'paused') return result(runtime, state, undefined);
  const changes: Record<string, unknown> = Object.fromEntries(
    Object.entries(options.changes ?? {}).filter(([, value]) => value !== undefined),
  );
  // A run resumed in another sandbox than it started in (e.g. `--sandbox none`) says so, for the provenance.
  const sandbox = runtime.testTools?.sandbox.kind;
  if (sandbox !== undefined && state.start.tests !== undefined && sandbox !== state.start.tests.sandbox) {
    changes.sandbox = sandbox;
  }
  await journal.appendOne('run-resume', {
    by: options.by ?? 'cli',
    ...(Object.keys(changes).length === 0 ? {} : { changes }),
  });
  return drive(runtime, journal, foldRunEvents(state, journal.takeAppended(), { trusted: true }), models);
}

async function result(runtime: KernelRuntime, state: RunState, diff: string | undefined): Promise<RunResult> {
  const start = state.start!;
  const workspace = await runtime.workspaces.open({ repo: start.repo, runId: state.runId, slug: start.slug });
  const status = state.status === 'running' || state.status === 'empty' ? 'paused' : state.status;
  return {
    runId: state.runId,
    status,
    ...(state.pause === undefined ? {} : { pause: { ...state.pause } }),
    turns: state.turns.length,
    diff: diff ?? state.finalDiff ?? (await workspace.diff()),
    spentUsd: state.spentUsd,
    branch: workspace.branch,
  };
}

async function drive(
  runtime: KernelRuntime,
  journal: RunJournal,
  initial: RunState,
  models: ReadonlyMap<string, ModelPort>,
): Promise<RunResult> {
  const start = initial.start;
  if (!start || !initial.limits)
    throw new SystemError({ code: 'run-corrupt', message: `Run ${initial.runId} has no run-start event.` });
  const workspace = await runtime.workspaces.open({ repo: start.repo, runId: initial.runId, slug: start.slug });
  const gateway = new ModelCallGateway({
    journal,
    ledger: runtime.ledger,
    pricing: runtime.pricing,
    recordedResponses: initial.recordedResponses,
    ...(runtime.responseCache === undefined ? {} : { responseCache: runtime.responseCache }),
    stepTokenCeiling: runtime.stepMaxTokens,
  });
  const contextProvider = runtime.contextProvider ?? workspaceContextProvider();
  const now = runtime.now ?? Date.now;
  // Test first when the run has a test command and a Test-writer bound (runs started before phase 8 have neither).
  const testFirst = isTesting(start.tests) && start.roles.some((role) => role.role === 'test-writer');
  let state = initial;
  if (needsBaseline(state)) {
    const failed = await runBaseline({ tools: runtime.testTools, start, workspace, journal });
    if (failed !== undefined) await journal.appendOne('run-pause', failed);
    state = foldRunEvents(state, journal.takeAppended(), { trusted: true });
    if (failed !== undefined) return result(runtime, state, undefined);
  }
  for (;;) {
    const limits = state.limits!;
    const context = {
      journal,
      gateway,
      workspace,
      start,
      limits,
      turns: state.turns,
      models,
      contextProvider,
      testTools: runtime.testTools,
    };
    if (state.openTurn) {
      const open = state.openTurn;
      const resumed = { role: open.role, kind: open.kind } as NextTurn;
      const outcome = await runTurn(
        withOperatorInstruction(context, journal.control, open.role),
        resumed,
        open.turn,
        open,
      );
      state = foldRunEvents(state, journal.takeAppended(), { trusted: true });
      if (outcome.status === 'paused') return result(runtime, state, undefined);
      continue;
    }
    const control = await honourRunControl(context, state);
    if (control.action === 'stop') return result(runtime, state, undefined);
    if (control.action === 'played') continue;
    if (evaluateConvergence(state.turns).converged) {
      const diff = await workspace.diff();
      const modelPaths = modelEditedPaths(state.turns, runtime.testTools, start.tests);
      const deliveryInput = { journal, store: runtime.store, start, workspace, diff, modelPaths, models, gateway };
      if (await runDeliveryHook({ hook: runtime.deliver, ...deliveryInput })) {
        return result(runtime, foldRunEvents(state, journal.takeAppended(), { trusted: true }), undefined);
      }
      // Delivery may have dropped files that were not the model's change: the run ends with what was delivered.
      const finalDiff = runtime.deliver === undefined ? diff : await workspace.diff();
      await journal.appendOne('run-end', { status: 'converged', diff: finalDiff });
      return result(runtime, foldRunEvents(state, journal.takeAppended(), { trusted: true }), finalDiff);
    }
    const minutesActive = state.activeSince === undefined ? 0 : (now() - Date.parse(state.activeSince)) / 60_000;
    const stop = evaluateStopRules({
      allTurns: state.turns,
      windowTurns: state.turns.slice(state.windowStart),
      limits,
      minutesActive,
    });
    if (stop) {
      await journal.appendOne('run-pause', { reason: stop.reason, detail: stop.detail });
      return result(runtime, foldRunEvents(state, journal.takeAppended(), { trusted: true }), undefined);
    }
    const next = nextTurn(state.turns, { critiqueProposals: start.critiqueProposals === true, testFirst });
    const outcome = await runTurn(
      withOperatorInstruction(context, journal.control, next.role),
      next,
      state.turns.length + 1,
    );
    state = foldRunEvents(state, journal.takeAppended(), { trusted: true });
    if (outcome.status === 'paused') return result(runtime, state, undefined);
  }
}
