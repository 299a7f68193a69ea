import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type JournalEvent,
  type JournalStore,
  readRunControlState,
  type StartRunBody,
  UserError,
} from '@orchestrator/spec';

/** The CLI entry point the launcher runs (`orchestrator run|resume`), with this Node. */
const cliEntry = fileURLToPath(new URL('../bin.ts', import.meta.url));

/** Pause reason of a run waiting for a human's decision (see the kernel's `approvalPauseReason`). */
const approvalPauseReason = 'approval-required';

export interface RunLauncherOptions {
  /** The store the server reads; the children write the same one (same data directory or DATABASE_URL). */
  store: JournalStore;
  /** The server's data directory, handed to every child (`ORCHESTRATOR_HOME`). */
  dataDir: string;
  /** Environment of the children (provider keys, DATABASE_URL…); `ORCHESTRATOR_HOME` is set from `dataDir`. */
  env: NodeJS.ProcessEnv;
  /** Repository of runs whose request names none; without it such runs get a fresh demo repository. */
  defaultRepo?: string | undefined;
  /** More `orchestrator run` arguments, e.g. `['--fault', 'builder:hold']` (testing and demos). */
  runArgs?: readonly string[];
  /** How often the journal is read while waiting for a child's `run-start`; 25 ms by default. */
  pollMs?: number;
  /** Told when a child could not be started or exited with an error (the server prints it). */
  onProblem?: (runId: string, message: string) => void;
  /** Process spawner (tests); `node:child_process` `spawn` by default. */
  spawnProcess?: typeof spawn;
}

function randomRunId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `r-${Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function lastLines(path: string, count: number): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts and continues runs for the HTTP API in child processes (`orchestrator run … --json`, `orchestrator resume`),
 * so a run outlives the request that started it and a crash of one never takes the server down. Each child's output
 * goes to `<dataDir>/console-runs/<runId>.log`. A run is driven by at most one child of this server at a time: a resume
 * recorded while its child still runs is honoured by that child, or, if the child stops first, by a new one.
 */
export class RunLauncher {
  readonly #options: RunLauncherOptions;
  readonly #children = new Map<string, ChildProcess>();
  /** Runs whose resume was recorded while their child was still running. */
  readonly #resumeWanted = new Set<string>();
  readonly #exits = new Set<Promise<void>>();

  constructor(options: RunLauncherOptions) {
    this.#options = options;
  }

  /** True while a child of this server drives the run. */
  isDriving(runId: string): boolean {
    return this.#children.has(runId);
  }

  /** `launchRun` of the API: spawns `orchestrator run` and answers once the run's `run-start` is journaled. */
  readonly launchRun = async (input: StartRunBody): Promise<{ runId: string }> => {
    const runId = randomRunId();
    const repo = input.repo ?? this.#options.defaultRepo;
    const args = [
      'run',
      '--json',
      '--run-id',
      runId,
      ...(repo === undefined ? ['--demo-repo'] : ['--repo', repo]),
      ...Object.entries(input.labels ?? {}).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
      ...(this.#options.runArgs ?? []),
      '--',
      input.task,
    ];
    const child = this.#spawn(runId, args);
    const pollMs = this.#options.pollMs ?? 25;
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    for (;;) {
      if ((await this.#options.store.read(runId, { limit: 1 })).length > 0) return { runId };
      if (exited) {
        throw new UserError({
          code: 'run-start-failed',
          message: `The run could not start: ${lastLines(this.#logPath(runId), 5) || 'orchestrator run exited'}`,
          hint: `See ${this.#logPath(runId)}; check the repository path and the provider configuration.`,
          details: { runId },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };

  /**
   * `onControl` of the API: a recorded `run-resume`, or the last missing decision on a run paused for approval,
   * continues the run in a child (`orchestrator resume`) unless one of this server's children still drives it.
   */
  readonly onControl = async (runId: string, events: readonly JournalEvent[]): Promise<void> => {
    const resumed = events.some((event) => event.type === 'run-resume');
    const decided = events.some((event) => event.type === 'approval-decision');
    if (!resumed && !decided) return;
    if (decided && !resumed) {
      const state = readRunControlState(await this.#options.store.read(runId));
      const waiting = state.status === 'paused' && state.pause?.reason === approvalPauseReason;
      if (!waiting || state.pendingApprovals.length > 0) return;
    }
    if (this.isDriving(runId)) {
      this.#resumeWanted.add(runId);
      return;
    }
    this.#spawn(runId, ['resume', runId, '--json']);
  };

  /** Resolves when every child started so far has exited (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.#exits.size > 0) await Promise.all([...this.#exits]);
  }

  #logPath(runId: string): string {
    return join(this.#options.dataDir, 'console-runs', `${runId}.log`);
  }

  #spawn(runId: string, args: readonly string[]): ChildProcess {
    mkdirSync(join(this.#options.dataDir, 'console-runs'), { recursive: true, mode: 0o700 });
    const log = openSync(this.#logPath(runId), 'a', 0o600);
    let child: ChildProcess;
    try {
      child = (this.#options.spawnProcess ?? spawn)(process.execPath, [cliEntry, ...args], {
        cwd: this.#options.defaultRepo ?? process.cwd(),
        env: { ...this.#options.env, ORCHESTRATOR_HOME: this.#options.dataDir, NO_COLOR: '1', FORCE_COLOR: '0' },
        stdio: ['ignore', log, log],
      });
    } finally {
      closeSync(log);
    }
    // The server may stop (Ctrl-C, restart) while a run goes on: the child must not keep it alive, nor die with it.
    child.unref();
    this.#children.set(runId, child);
    this.#resumeWanted.delete(runId);
    const exit = new Promise<void>((resolve) => {
      child.once('error', (error) => this.#options.onProblem?.(runId, `could not start: ${error.message}`));
      child.once('close', (code) => {
        this.#children.delete(runId);
        // Exit code 0 is a converged or paused run; anything else is worth a line in the server's output.
        if (code !== 0 && code !== null) this.#options.onProblem?.(runId, `${args[0]} exited with ${code}`);
        resolve(this.#afterExit(runId));
      });
    }).finally(() => this.#exits.delete(exit));
    this.#exits.add(exit);
    return child;
  }

  /** A resume recorded while the child was stopping (it had already decided to pause) gets a new child. */
  async #afterExit(runId: string): Promise<void> {
    if (!this.#resumeWanted.has(runId)) return;
    this.#resumeWanted.delete(runId);
    const state = readRunControlState(await this.#options.store.read(runId));
    if (state.status === 'running') this.#spawn(runId, ['resume', runId, '--json']);
  }
}
