import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Sandbox, SandboxRunOptions, TestRunResult } from '@orchestrator/spec';
import { UserError } from '@orchestrator/spec';
import { buildBubblewrapArguments } from './bubblewrap-arguments.ts';
import { createCgroupLimits } from './cgroup-limits.ts';
import { buildCleanEnvironment } from './clean-environment.ts';
import { frameworkOfCommand } from './detect-test-command.ts';
import { findExecutable } from './find-executable.ts';
import { gitMetadataChanged, gitMetadataFingerprint } from './git-metadata-guard.ts';
import { parseTestSummary } from './parse-test-summary.ts';
import { runBoundedProcess } from './run-bounded-process.ts';
import { resolveToolchainMounts } from './toolchain-mounts.ts';
import { unixSocketFilter } from './unix-socket-filter.ts';

/** Options of a sandbox; the first four match the `sandbox` section of the configuration. */
export interface SandboxOptions {
  /** `bubblewrap` (default) or `none`: the explicit opt-out, which warns and is recorded in every result. */
  kind?: 'bubblewrap' | 'none';
  /** Default wall-time limit per run, in seconds (300). */
  timeoutSeconds?: number;
  /** Memory limit of the whole run, in MiB (2048). */
  memoryMb?: number;
  /** Ignored here; the test command is chosen by `detectTestCommand`. Present so `config.sandbox` can be passed as is. */
  testCommand?: string | undefined;
  /** Process limit of the whole run (512). */
  maxProcesses?: number;
  /** Bytes kept per output stream (256 KiB). */
  maxOutputBytes?: number;
  /** Home directory whose credential stores are hidden (defaults to the real one). */
  hostHome?: string;
  /** More host paths to hide, e.g. the orchestrator's data directory. */
  hiddenPaths?: readonly string[];
  /** The host environment; only allowlisted variables (PATH, LANG…) are copied from it. */
  hostEnvironment?: NodeJS.ProcessEnv;
  /** Called once with the opt-out warning when `kind` is `none`. */
  onWarning?: (warning: string) => void;
}

export const sandboxOptOutWarning =
  'Sandbox disabled (--sandbox none): generated code runs on this host with network and full file-system access. This is recorded in the provenance.';

const defaults = { timeoutSeconds: 300, memoryMb: 2048, maxProcesses: 512, maxOutputBytes: 256 * 1024 };

/** The hint shown when bubblewrap is missing or unusable. */
export const bubblewrapInstallHint =
  'Install bubblewrap (Debian/Ubuntu: sudo apt-get install -y bubblewrap; Fedora: sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap), or pass --sandbox none (sandbox.kind: none) to run tests unsandboxed at your own risk.';

/** Finds bwrap and proves it can create the namespaces a run needs; throws `sandbox-unavailable` otherwise. */
export function probeBubblewrap(searchPath = process.env.PATH ?? ''): { path: string; version: string } {
  const path = findExecutable('bwrap', searchPath);
  if (path === undefined) {
    throw new UserError({
      code: 'sandbox-unavailable',
      message: 'bubblewrap (bwrap) is not installed, so generated code cannot run sandboxed.',
      hint: bubblewrapInstallHint,
    });
  }
  const probe = spawnSync(
    path,
    ['--unshare-all', '--die-with-parent', '--cap-drop', 'ALL', '--ro-bind', '/', '/', 'true'],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  if (probe.status !== 0) {
    throw new UserError({
      code: 'sandbox-unavailable',
      message: `bubblewrap is installed but cannot create a sandbox here: ${(probe.stderr || probe.error?.message || '').trim()}`,
      hint: `Unprivileged user namespaces are probably disabled (Ubuntu 24.04: sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile for bwrap; containers: run with --security-opt seccomp=unconfined or as root). ${bubblewrapInstallHint}`,
      details: { bubblewrap: path },
    });
  }
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return { path, version };
}

function processesOfUser(uid: number): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (statSync(`/proc/${entry}`).uid === uid) count += 1;
    } catch {
      // exited meanwhile
    }
  }
  return count;
}

/**
 * Creates the sandbox that runs tests and generated code. `bubblewrap` refuses with `sandbox-unavailable` when bwrap is
 * missing or cannot create namespaces; `none` runs directly on the host (same clean environment and limits) and marks
 * every result `sandbox: 'none'`.
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const kind = options.kind ?? 'bubblewrap';
  const hostEnvironment = options.hostEnvironment ?? process.env;
  const searchPath = hostEnvironment.PATH ?? '';
  const bubblewrap = kind === 'bubblewrap' ? probeBubblewrap(searchPath) : undefined;
  if (kind === 'none') options.onWarning?.(sandboxOptOutWarning);
  const prlimit = findExecutable('prlimit', searchPath);
  const memoryBytes = (options.memoryMb ?? defaults.memoryMb) * 1024 * 1024;
  const maxProcesses = options.maxProcesses ?? defaults.maxProcesses;
  const maxOutputBytes = options.maxOutputBytes ?? defaults.maxOutputBytes;
  const defaultTimeoutMs = (options.timeoutSeconds ?? defaults.timeoutSeconds) * 1000;

  async function run(command: string, runOptions: SandboxRunOptions): Promise<TestRunResult> {
    const warnings: string[] = kind === 'none' ? [sandboxOptOutWarning] : [];
    const hostHome = options.hostHome ?? hostEnvironment.HOME ?? homedir();
    const environment = buildCleanEnvironment(hostEnvironment, runOptions.env, hostHome);
    const timeoutMs = runOptions.timeoutMs ?? defaultTimeoutMs;
    const cgroup = createCgroupLimits(memoryBytes, maxProcesses);
    const uid = process.getuid?.() ?? 0;
    const rlimits: string[] = ['--core=0'];
    let processMechanism: 'cgroup' | 'rlimit' | 'none' = cgroup?.enforcesProcesses === true ? 'cgroup' : 'none';
    if (processMechanism === 'none' && uid !== 0 && prlimit !== undefined) {
      // RLIMIT_NPROC counts all the user's processes, so the cap is added to what already runs.
      rlimits.push(`--nproc=${processesOfUser(uid) + maxProcesses}`);
      processMechanism = 'rlimit';
    }
    if (processMechanism === 'none') {
      warnings.push(
        'The process limit is not enforced on this host (no writable pids cgroup, and uid 0 ignores RLIMIT_NPROC).',
      );
    }
    const memoryMechanism = cgroup?.enforcesMemory === true ? 'cgroup' : prlimit === undefined ? 'none' : 'rlimit';
    // RLIMIT_DATA is per process and stops Node.js from starting below ~768 MiB: only a fallback for hosts without cgroups.
    if (memoryMechanism === 'rlimit') rlimits.push(`--data=${memoryBytes}`);
    if (memoryMechanism === 'none')
      warnings.push('The memory limit is not enforced on this host (no cgroup, no prlimit).');
    // RLIMIT_FSIZE: a test cannot write one file past the disk quota (the caller checks the total afterwards).
    if (runOptions.maxFileBytes !== undefined && prlimit !== undefined)
      rlimits.push(`--fsize=${runOptions.maxFileBytes}`);
    if (runOptions.maxFileBytes !== undefined && prlimit === undefined)
      warnings.push('The file-size limit is not enforced on this host (no prlimit).');
    const shell = ['/bin/sh', '-c', command];
    const limited = prlimit === undefined ? shell : [prlimit, ...rlimits, '--', ...shell];
    const seccomp = bubblewrap === undefined ? undefined : unixSocketFilter();
    if (bubblewrap !== undefined && seccomp === undefined) {
      warnings.push(`Unix sockets are hidden but not refused by seccomp on this architecture (${process.arch}).`);
    }
    const argv =
      bubblewrap === undefined
        ? limited
        : [
            bubblewrap.path,
            ...buildBubblewrapArguments({
              cwd: runOptions.cwd,
              hostHome,
              ...(options.hiddenPaths === undefined ? {} : { hiddenPaths: options.hiddenPaths }),
              toolchain: resolveToolchainMounts(command, {
                searchPath: environment.PATH ?? '',
                worktree: runOptions.cwd,
                hostHome,
                environment,
                hiddenPaths: options.hiddenPaths ?? [],
              }),
              ...(seccomp === undefined ? {} : { seccompFd: 3 }),
            }),
            '--',
            ...limited,
          ];
    // Git metadata is not the command's to write: compared after every step, the worktree refused if it changed.
    const gitMetadataBefore = gitMetadataFingerprint(runOptions.cwd);
    try {
      const outcome = await runBoundedProcess({
        argv,
        env: environment,
        cwd: runOptions.cwd,
        timeoutMs,
        maxOutputBytes,
        cgroup,
        signal: runOptions.signal,
        ...(seccomp === undefined ? {} : { inputDescriptors: [seccomp] }),
      });
      if (gitMetadataFingerprint(runOptions.cwd) !== gitMetadataBefore)
        throw gitMetadataChanged(runOptions.cwd, command);
      const processLimitHit =
        cgroup?.processLimitHit() === true ||
        (processMechanism === 'rlimit' &&
          /fork: (retry: )?Resource temporarily unavailable|Cannot fork/.test(outcome.stderr.text));
      if (outcome.stdout.truncated || outcome.stderr.truncated) {
        warnings.push(`Output exceeded ${maxOutputBytes} bytes per stream; the middle was dropped.`);
      }
      if (outcome.timedOut) warnings.push(`Killed after the ${timeoutMs} ms wall-time limit (whole process tree).`);
      if (outcome.killed === 'memory')
        warnings.push(`Killed by the ${options.memoryMb ?? defaults.memoryMb} MiB memory limit.`);
      if (processLimitHit) warnings.push(`The ${maxProcesses}-process limit refused at least one fork.`);
      return {
        specificationVersion: 'v1',
        command,
        cwd: runOptions.cwd,
        sandbox: kind,
        ...outcome,
        processLimitHit,
        summary: parseTestSummary(
          `${outcome.stdout.text}\n${outcome.stderr.text}`,
          runOptions.framework ?? frameworkOfCommand(command),
        ),
        limits: {
          wallTimeMs: timeoutMs,
          memory: { bytes: memoryBytes, mechanism: memoryMechanism },
          processes: { max: maxProcesses, mechanism: processMechanism },
          outputBytes: maxOutputBytes,
        },
        warnings,
      };
    } finally {
      await cgroup?.remove();
    }
  }

  return { specificationVersion: 'v1', kind, run };
}
