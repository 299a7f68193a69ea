import { evaluateConvergence, findSequenceProblems, openRisks, projectRun } from '@orchestrator/kernel';
import type {
  JournalEvent,
  ProtocolMessage,
  RunRecord,
  RunTests,
  TestLeftoversData,
  TestRunData,
} from '@orchestrator/spec';

/** What `runs show` prints about a run (and returns as JSON). */
export interface RunSummary {
  runId: string;
  status: string;
  task: string | undefined;
  repo: string | undefined;
  roles: Array<{ role: string; provider: string; model: string }>;
  /** How the run tests its changes (sandbox, command), as recorded at its start; absent for runs without test tools. */
  tests?: RunTests;
  /**
   * Every test run, in journal order: the baseline (`check` with no turn, before any change), the red run(s) of the
   * acceptance test, then the green (or `check`) run of each implementation.
   */
  testRuns: TestRunData[];
  /** Files that test runs (or anything but the model's edits) left in the worktree: listed, dropped, never committed. */
  leftovers: TestLeftoversData[];
  createdAt: string | undefined;
  updatedAt: string | undefined;
  turns: Array<{
    turn: number;
    role: string;
    kind: string;
    status: 'ok' | 'failed';
    summary?: string;
    verdict?: string;
    risks: Array<{ id: string; severity: string; description: string; fix: string }>;
    editsApplied?: boolean;
    tests?: { phase: string; exitCode: number; summary: string };
    /** The retrieved chunks the message cites as evidence (phase 6), with the line ranges relied on. */
    citations?: Array<{ chunkId: string; startLine?: number; endLine?: number; note?: string }>;
    /** Why the turn cannot converge though it completed (e.g. chunk citations that do not hold). */
    problem?: string;
  }>;
  openRisks: Array<{ id: string; severity: string; raisedAtTurn: number }>;
  convergence: string;
  pause?: { reason: string; detail: string };
  spentUsd: number;
  modelCalls: number;
  events: number;
  journalProblems: string[];
  diff?: string;
}

type TurnCitation = NonNullable<RunSummary['turns'][number]['citations']>[number];

/** The chunk evidence of a message, as `runs show` lists it. */
function citationsOf(message: ProtocolMessage | undefined): { citations?: TurnCitation[] } {
  const citations: TurnCitation[] = [];
  for (const evidence of message?.evidence ?? []) {
    if (evidence.kind !== 'chunk') continue;
    citations.push({
      chunkId: evidence.chunkId,
      ...(evidence.startLine === undefined ? {} : { startLine: evidence.startLine }),
      ...(evidence.endLine === undefined ? {} : { endLine: evidence.endLine }),
      ...(evidence.note === undefined ? {} : { note: evidence.note }),
    });
  }
  return citations.length === 0 ? {} : { citations };
}

export function summarizeRun(
  runId: string,
  record: RunRecord | undefined,
  events: readonly JournalEvent[],
): RunSummary {
  const state = projectRun(runId, events);
  const convergence = evaluateConvergence(state.turns);
  return {
    runId,
    status: state.status,
    task: state.start?.task,
    repo: state.start?.repo,
    roles: (state.start?.roles ?? []).map(({ role, provider, model }) => ({ role, provider, model })),
    ...(state.start?.tests === undefined ? {} : { tests: state.start.tests }),
    testRuns: events.flatMap((event) => (event.type === 'test-run' ? [event.data as TestRunData] : [])),
    leftovers: events.flatMap((event) => (event.type === 'test-leftovers' ? [event.data as TestLeftoversData] : [])),
    createdAt: record?.createdAt,
    updatedAt: record?.updatedAt,
    turns: state.turns.map((turn) => ({
      turn: turn.turn,
      role: turn.role,
      kind: turn.kind,
      status: turn.status,
      ...(turn.message === undefined ? {} : { summary: turn.message.summary }),
      ...(turn.message && 'verdict' in turn.message ? { verdict: turn.message.verdict } : {}),
      risks: (turn.message?.risks ?? []).map(({ id, severity, description, fix }) => ({
        id,
        severity,
        description,
        fix,
      })),
      ...(turn.patch === undefined ? {} : { editsApplied: turn.patch.ok }),
      ...citationsOf(turn.message),
      ...(turn.problem === undefined ? {} : { problem: turn.problem }),
      ...(turn.testRuns?.at(-1) === undefined
        ? {}
        : {
            tests: {
              phase: turn.testRuns.at(-1)!.phase,
              exitCode: turn.testRuns.at(-1)!.exitCode,
              summary: turn.testRuns.at(-1)!.summary,
            },
          }),
    })),
    openRisks: openRisks(state.turns).map(({ id, severity, raisedAtTurn }) => ({ id, severity, raisedAtTurn })),
    convergence: convergence.converged ? 'converged' : convergence.why,
    ...(state.pause === undefined ? {} : { pause: state.pause }),
    spentUsd: state.spentUsd,
    modelCalls: state.modelCalls,
    events: events.length,
    journalProblems: findSequenceProblems(events),
    ...(state.finalDiff === undefined ? {} : { diff: state.finalDiff }),
  };
}
