import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { CapturedOutput, KillReason } from '@orchestrator/spec';
import { SystemError } from '@orchestrator/spec';
import { BoundedOutput } from './bounded-output.ts';
import type { CgroupLimits } from './cgroup-limits.ts';

export interface BoundedProcessRequest {
  /** Program and arguments (no shell on the host side unless the program is one). */
  argv: readonly string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  maxOutputBytes: number;
  cgroup?: CgroupLimits | undefined;
  signal?: AbortSignal | undefined;
  /** Data the process reads from descriptors 3, 4, … (e.g. a seccomp program for `bwrap --seccomp 3`). */
  inputDescriptors?: readonly Buffer[];
}

export interface BoundedProcessResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  killed: KillReason | null;
  durationMs: number;
  stdout: CapturedOutput;
  stderr: CapturedOutput;
}

/** Quotes a value for /bin/sh. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * Runs a process in its own process group, optionally inside a cgroup it joins before exec, bounding its output and
 * killing the whole tree (group and cgroup) on timeout or abort. Never throws for a failing process.
 */
export async function runBoundedProcess(request: BoundedProcessRequest): Promise<BoundedProcessResult> {
  const [program, ...args] = request.argv;
  if (program === undefined) throw new SystemError({ code: 'sandbox-empty-command', message: 'Nothing to run.' });
  const joinCgroup = (request.cgroup?.procsFiles ?? []).map((file) => `echo $$ > ${shellQuote(file)} || exit 125`);
  const argv: string[] =
    joinCgroup.length === 0
      ? [program, ...args]
      : ['/bin/sh', '-c', `${joinCgroup.join('; ')}; exec "$@"`, 'sh', program, ...args];
  const stdout = new BoundedOutput(request.maxOutputBytes);
  const stderr = new BoundedOutput(request.maxOutputBytes);
  const started = performance.now();
  const inputs = request.inputDescriptors ?? [];
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: request.cwd,
    env: request.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...inputs.map(() => 'pipe' as const)],
  });
  const childStdout = child.stdout!;
  const childStderr = child.stderr!;
  inputs.forEach((data, index) => {
    const stream = child.stdio[index + 3] as Writable;
    // The reader may exit before reading everything (bwrap failing early): that shows in its exit status, not here.
    stream.on('error', () => {});
    stream.end(data);
  });
  const state: { killed: KillReason | null } = { killed: null };
  const killTree = (reason: KillReason) => {
    state.killed ??= reason;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    request.cgroup?.killAll();
  };
  const timer = setTimeout(() => killTree('timeout'), request.timeoutMs);
  const onAbort = () => killTree('abort');
  if (request.signal?.aborted) onAbort();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  childStdout.on('data', (chunk: Buffer) => stdout.write(chunk));
  childStderr.on('data', (chunk: Buffer) => stderr.write(chunk));
  try {
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', (error) =>
        reject(
          new SystemError({
            code: 'sandbox-spawn-failed',
            message: `Cannot start ${program}: ${error.message}`,
            hint: 'Check that the program exists and is executable (orchestrator sandbox check).',
            cause: error,
          }),
        ),
      );
      child.once('exit', (code, exitSignal) => {
        // A process that escaped the group may still hold the pipes: stop reading them soon after the exit.
        const drain = setTimeout(() => {
          childStdout.destroy();
          childStderr.destroy();
          resolve([code, exitSignal]);
        }, 2000);
        child.once('close', () => {
          clearTimeout(drain);
          resolve([code, exitSignal]);
        });
      });
    });
    if (request.cgroup?.memoryLimitHit() === true && state.killed === null) state.killed = 'memory';
    return {
      exitCode,
      signal,
      timedOut: state.killed === 'timeout',
      killed: state.killed,
      durationMs: Math.round(performance.now() - started),
      stdout: stdout.result(),
      stderr: stderr.result(),
    };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // nothing left in the group
      }
    }
  }
}
