// Runs every `smoke:p<N>` script (or every bench/*.ts) that exists, in phase order; smokes stop at the first failure.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const kind = process.argv[2];
const root = new URL('../', import.meta.url);

function phaseOrder(name: string): number {
  return Number(name.replace(/^smoke:p/, ''));
}

let targets: Array<{ label: string; args: string[] }>;
if (kind === 'smoke') {
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    scripts: Record<string, string>;
  };
  targets = Object.entries(manifest.scripts)
    .filter(
      ([name, command]) => /^smoke:p[\d.]+$/.test(name) && existsSync(new URL(command.replace(/^node /, ''), root)),
    )
    .sort(([a], [b]) => phaseOrder(a) - phaseOrder(b))
    .map(([name, command]) => ({ label: name, args: command.replace(/^node /, '').split(' ') }));
} else if (kind === 'bench') {
  const directory = new URL('bench/', root);
  targets = readdirSync(directory)
    .filter((name) => name.endsWith('.bench.ts'))
    .sort()
    .map((name) => ({ label: `bench/${name}`, args: [`bench/${name}`] }));
} else {
  console.error('usage: node scripts/run-all.ts smoke|bench');
  process.exit(2);
}

// Smokes are independent (each has its own data directory, repositories and ports), so they run side by side, as many
// at once as the machine has cores (SMOKE_CONCURRENCY overrides); each one's output is printed whole when it ends, so
// logs never interleave. After a failure no new smoke starts. Benchmarks run one at a time: they measure.
const concurrency =
  kind === 'smoke' ? Math.max(1, Number(process.env.SMOKE_CONCURRENCY) || Math.min(availableParallelism(), 4)) : 1;

function runTarget(target: { label: string; args: string[] }): Promise<{ status: number; output: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, target.args, {
      cwd: root,
      env: process.env,
      stdio: concurrency === 1 ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('close', (status, signal) =>
      resolve({ status: status ?? (signal === null ? 1 : 128), output, ms: performance.now() - started }),
    );
  });
}

const failed: string[] = [];
const queue = [...targets];
let finished = 0;
async function worker(): Promise<void> {
  for (let target = queue.shift(); target !== undefined; target = queue.shift()) {
    if (kind === 'smoke' && failed.length > 0) return;
    if (concurrency === 1) console.log(`\n━━ ${target.label}`);
    const result = await runTarget(target);
    finished += 1;
    if (concurrency > 1) {
      console.log(`\n━━ ${target.label} (${finished}/${targets.length}, ${(result.ms / 1000).toFixed(1)} s)`);
      process.stdout.write(result.output);
    }
    if (result.status !== 0) failed.push(target.label);
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, () => worker()));
const skipped = targets.length - finished;
console.log(
  `\n${finished - failed.length} passed, ${failed.length} failed${skipped > 0 ? `, ${skipped} not started after a failure` : ''}${failed.length > 0 ? ` (${failed.join(', ')})` : ''}`,
);
process.exit(failed.length === 0 ? 0 : 1);
