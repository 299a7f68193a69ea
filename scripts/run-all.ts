// Runs every `smoke:p<N>` script (or every bench/*.ts) that exists, in phase order, and stops at the first failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

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

const failed: string[] = [];
for (const target of targets) {
  console.log(`\n━━ ${target.label}`);
  const result = spawnSync(process.execPath, target.args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    failed.push(target.label);
    if (kind === 'smoke') break;
  }
}
console.log(`\n${targets.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length === 0 ? 0 : 1);
