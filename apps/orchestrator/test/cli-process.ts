// Test helper: the real CLI in a child process, asynchronously, so that independent runs of one test file can proceed
// side by side (a synchronous spawn would hold the event loop and serialise them).
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const bin = new URL('../src/bin.ts', import.meta.url).pathname;

/** What the CLI left behind. */
export interface CliOutcome {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** An environment with no provider key, no shared database and no colour: the offline, embedded defaults. */
export function offlineEnvironment(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ORCHESTRATOR_HOME: home,
    DATABASE_URL: '',
    MAX_USD: '',
    ANTHROPIC_API_KEY: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    NO_COLOR: '1',
    ...extra,
  };
}

/** Runs `orchestrator <args>` to its end (or its SIGKILL) and returns what it printed. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/**
 * A gate that lets at most `slots` tasks run at once (default: the machine's cores): full runs spawn git, the sandbox
 * and the test runner, so more at once than cores only adds contention.
 */
export function createLimiter(slots = Math.max(1, availableParallelism())) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running >= slots) await new Promise<void>((wake) => waiting.push(wake));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
