// The README's first command: the offline demo, end to end. Prints the plan, runs the task on a fresh sample repository
// with the offline scripted model (no keys needed), opens a pull request in the local forge, and shows that pull
// request with its provenance block. Extra arguments replace the task.
import { spawn, spawnSync } from 'node:child_process';

const task = process.argv.slice(2).join(' ').trim() || 'add a README section';
const bin = new URL('../apps/orchestrator/src/bin.ts', import.meta.url).pathname;
if (!process.env.ANTHROPIC_API_KEY && !process.env.OPENAI_API_KEY) {
  console.log('No provider key set: every role runs on the offline scripted model.\n');
}

function orchestrator(args: string[]): number {
  return spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' }).status ?? 1;
}

/** Runs the CLI, streaming its output live, and returns the exit code with what it printed. */
function orchestratorTee(args: string[]): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['inherit', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('close', (status) => resolve({ status: status ?? 1, output }));
  });
}

console.log('━━ 1. The plan (nothing is called or written)\n');
if (orchestrator(['plan', '--dry-run', task]) !== 0) process.exit(1);

console.log('\n━━ 2. The run, on a fresh sample repository, ending in a pull request\n');
const run = await orchestratorTee(['run', '--demo-repo', '--open-pr', task]);
if (run.status !== 0) process.exit(run.status);

const show = /orchestrator pr show (\d+) --repo (\S+)/.exec(run.output);
if (show?.[1] && show[2]) {
  console.log('\n━━ 3. The pull request in the local forge, with its provenance block\n');
  process.exit(orchestrator(['pr', 'show', show[1], '--repo', show[2]]));
}
