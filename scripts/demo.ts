// The README's first command: the offline demo, end to end. Prints the plan, then runs the task on a fresh sample
// repository with the offline scripted model (no keys needed), and shows the result. Extra arguments replace the task.
import { spawnSync } from 'node:child_process';

const task = process.argv.slice(2).join(' ').trim() || 'add a README section';
const bin = new URL('../apps/orchestrator/src/bin.ts', import.meta.url).pathname;
const env = { ...process.env };
if (!process.env.ANTHROPIC_API_KEY && !process.env.OPENAI_API_KEY) {
  console.log('No provider key set: every role runs on the offline scripted model.\n');
}

function orchestrator(args: string[]): number {
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit', env });
  return result.status ?? 1;
}

console.log('━━ 1. The plan (nothing is called or written)\n');
if (orchestrator(['plan', '--dry-run', task]) !== 0) process.exit(1);

console.log('\n━━ 2. The run, on a fresh sample repository\n');
const runHelp = spawnSync(process.execPath, [bin, 'run', '--help'], { encoding: 'utf8', env });
const openPr = runHelp.stdout.includes('--open-pr');
const status = orchestrator(['run', '--demo-repo', ...(openPr ? ['--open-pr'] : []), task]);
process.exit(status);
