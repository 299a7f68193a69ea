import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const cgroupRoot = '/sys/fs/cgroup';

/** A cgroup (v2, or v1 pids + memory hierarchies) holding one run's whole process tree. */
export interface CgroupLimits {
  readonly version: 1 | 2;
  /** `cgroup.procs` files the launcher writes its own pid into before it execs bubblewrap. */
  readonly procsFiles: readonly string[];
  readonly enforcesMemory: boolean;
  readonly enforcesProcesses: boolean;
  /** Kills every process in the cgroup. */
  killAll(): void;
  /** True when the kernel OOM-killed a process of the run. */
  memoryLimitHit(): boolean;
  /** True when a fork was refused by the pids limit. */
  processLimitHit(): boolean;
  /** Removes the cgroup once it is empty (waits briefly for killed processes to be reaped). */
  remove(): Promise<void>;
}

function ownCgroupPath(controller: string): string | undefined {
  const lines = readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  for (const line of lines) {
    const [, controllers, path] = line.split(':');
    if (path === undefined || controllers === undefined) continue;
    if (controller === '' ? controllers === '' : controllers.split(',').includes(controller)) return path;
  }
  return undefined;
}

function tryWrite(file: string, value: string): boolean {
  try {
    writeFileSync(file, value);
    return true;
  } catch {
    return false;
  }
}

function counter(file: string, key: string): number {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${key} `));
    return line === undefined ? 0 : Number(line.split(' ')[1]);
  } catch {
    return 0;
  }
}

function pidsIn(directory: string): number[] {
  try {
    return readFileSync(join(directory, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  } catch {
    return [];
  }
}

function makeChild(parent: string, name: string): string | undefined {
  const directory = join(parent, name);
  try {
    mkdirSync(directory);
    return directory;
  } catch {
    return undefined;
  }
}

async function removeWhenEmpty(directories: readonly string[]): Promise<void> {
  for (const directory of directories) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      try {
        rmdirSync(directory);
        break;
      } catch {
        for (const pid of pidsIn(directory)) killQuietly(pid);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function createV2(name: string, memoryBytes: number, maxProcesses: number): CgroupLimits | undefined {
  const own = ownCgroupPath('');
  if (own === undefined || !existsSync(join(cgroupRoot, 'cgroup.controllers'))) return undefined;
  const directory = makeChild(join(cgroupRoot, own), name);
  if (directory === undefined) return undefined;
  const enforcesProcesses = tryWrite(join(directory, 'pids.max'), String(maxProcesses));
  const enforcesMemory =
    tryWrite(join(directory, 'memory.max'), String(memoryBytes)) && tryWrite(join(directory, 'memory.swap.max'), '0');
  if (!enforcesProcesses && !enforcesMemory) {
    void removeWhenEmpty([directory]);
    return undefined;
  }
  return {
    version: 2,
    procsFiles: [join(directory, 'cgroup.procs')],
    enforcesMemory,
    enforcesProcesses,
    killAll() {
      if (!tryWrite(join(directory, 'cgroup.kill'), '1')) for (const pid of pidsIn(directory)) killQuietly(pid);
    },
    memoryLimitHit: () => counter(join(directory, 'memory.events'), 'oom_kill') > 0,
    processLimitHit: () => counter(join(directory, 'pids.events'), 'max') > 0,
    remove: () => removeWhenEmpty([directory]),
  };
}

function createV1(name: string, memoryBytes: number, maxProcesses: number): CgroupLimits | undefined {
  const pidsPath = ownCgroupPath('pids');
  const memoryPath = ownCgroupPath('memory');
  const pidsDirectory = pidsPath === undefined ? undefined : makeChild(join(cgroupRoot, 'pids', pidsPath), `${name}`);
  const memoryDirectory =
    memoryPath === undefined ? undefined : makeChild(join(cgroupRoot, 'memory', memoryPath), `${name}`);
  const enforcesProcesses =
    pidsDirectory !== undefined && tryWrite(join(pidsDirectory, 'pids.max'), String(maxProcesses));
  const enforcesMemory =
    memoryDirectory !== undefined && tryWrite(join(memoryDirectory, 'memory.limit_in_bytes'), String(memoryBytes));
  if (enforcesMemory && memoryDirectory !== undefined) {
    tryWrite(join(memoryDirectory, 'memory.memsw.limit_in_bytes'), String(memoryBytes));
  }
  const directories = [pidsDirectory, memoryDirectory].filter((entry): entry is string => entry !== undefined);
  if (!enforcesProcesses && !enforcesMemory) {
    void removeWhenEmpty(directories);
    return undefined;
  }
  const used = [enforcesProcesses ? pidsDirectory : undefined, enforcesMemory ? memoryDirectory : undefined].filter(
    (entry): entry is string => entry !== undefined,
  );
  return {
    version: 1,
    procsFiles: used.map((directory) => join(directory, 'cgroup.procs')),
    enforcesMemory,
    enforcesProcesses,
    killAll() {
      for (const directory of used) for (const pid of pidsIn(directory)) killQuietly(pid);
    },
    memoryLimitHit: () =>
      memoryDirectory !== undefined && counter(join(memoryDirectory, 'memory.oom_control'), 'oom_kill') > 0,
    processLimitHit: () => pidsDirectory !== undefined && counter(join(pidsDirectory, 'pids.events'), 'max') > 0,
    remove: () => removeWhenEmpty(directories),
  };
}

/**
 * Creates a cgroup for one run when this host lets us (root, or a delegated cgroup v2 subtree). Returns undefined
 * otherwise; the runner then falls back to per-process rlimits and says so in the result's warnings.
 */
export function createCgroupLimits(memoryBytes: number, maxProcesses: number): CgroupLimits | undefined {
  const name = `orchestrator-sandbox-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const unified = existsSync(join(cgroupRoot, 'cgroup.controllers'));
    return unified ? createV2(name, memoryBytes, maxProcesses) : createV1(name, memoryBytes, maxProcesses);
  } catch {
    return undefined;
  }
}
