import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const repoRoot = new URL('../../', import.meta.url).pathname;

/** A fresh data directory so smoke runs never touch the user's own runs. */
export function freshDataDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `orchestrator-${prefix}-`));
}

let failures = 0;

/** Records one check and prints it. */
export function check(label: string, ok: boolean, detail = ''): void {
  console.log(`${ok ? '✔' : '✘'} ${label}${detail ? ` — ${detail}` : ''}`);
  if (!ok) failures += 1;
}

/** Runs the CLI with Node 24 and returns its result. */
export function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = repoRoot): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(repoRoot, 'apps/orchestrator/src/bin.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...env },
    timeout: 300_000,
  });
}

/** Prints the summary and exits non-zero if any check failed. */
export function finish(phase: string): never {
  console.log(failures === 0 ? `smoke ${phase}: all checks passed` : `smoke ${phase}: ${failures} check(s) failed`);
  process.exit(failures === 0 ? 0 : 1);
}
