// The secret scanner against secretlint alone: recall and false positives on the labelled sets (generated samples and
// secretlint's own rule tests), findings per MB on a clean real tree (node_modules: published packages), and
// throughput on a 3,000-file tree against the secretlint CLI (recommended preset) on the same files.
// POLICY_BENCH_ROOT picks the tree (default: this repository's node_modules), POLICY_BENCH_MAX_MB caps the bytes read
// for the per-MB figures (default 60), POLICY_BENCH_FILES the files of the throughput tree (default 3000).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ScanTarget, targetFromFile } from '@orchestrator/policy';
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { findSecrets } from '../packages/policy/src/secrets/secret-scanner.ts';
import { secretLabelledSet } from '../packages/policy/test/secret-labelled-set.ts';
import { secretlintLabelledSet } from '../packages/policy/test/secretlint-labelled-set.ts';

const root = process.env.POLICY_BENCH_ROOT ?? new URL('../node_modules', import.meta.url).pathname;
const maximumBytes = Number(process.env.POLICY_BENCH_MAX_MB ?? '60') * 1e6;
const treeFiles = Number(process.env.POLICY_BENCH_FILES ?? '3000');
const repositoryRoot = new URL('..', import.meta.url).pathname;

function collect(limitBytes: number, limitFiles: number): { files: string[]; targets: ScanTarget[]; bytes: number } {
  const files: string[] = [];
  const targets: ScanTarget[] = [];
  let bytes = 0;
  const stack = [root];
  while (stack.length > 0 && bytes < limitBytes && files.length < limitFiles) {
    const directory = stack.pop()!;
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (bytes >= limitBytes || files.length >= limitFiles) break;
      const path = join(directory, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile()) {
        const buffer = readFileSync(path);
        if (buffer.length > 2 * 1024 * 1024 || buffer.subarray(0, 8000).includes(0)) continue;
        bytes += buffer.length;
        files.push(path);
        targets.push(targetFromFile(relative(root, path), buffer.toString('utf8')));
      }
    }
  }
  return { files, targets, bytes };
}

const secretlintConfig = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] };
async function secretlintAlone(target: ScanTarget): Promise<number> {
  const result = await lintSource({
    source: {
      filePath: target.path,
      content: target.lines.map((line) => line.text).join('\n'),
      ext: '',
      contentType: 'text',
    },
    options: { config: secretlintConfig, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.length;
}

// 1. Labelled sets.
for (const [name, samples] of [
  ['generated samples', secretLabelledSet()],
  ["secretlint's rule tests", secretlintLabelledSet()],
] as const) {
  const counts = { ours: { found: 0, flagged: 0 }, secretlint: { found: 0, flagged: 0 } };
  const misses: string[] = [];
  const alarms: string[] = [];
  for (const sample of samples) {
    const target = targetFromFile(sample.path, sample.content);
    const ours = (await findSecrets(target)).length > 0;
    const theirs = (await secretlintAlone(target)) > 0;
    if (sample.secret) {
      counts.ours.found += Number(ours);
      counts.secretlint.found += Number(theirs);
      if (!ours) misses.push(sample.name);
    } else {
      counts.ours.flagged += Number(ours);
      counts.secretlint.flagged += Number(theirs);
      if (ours) alarms.push(sample.name);
    }
  }
  const secrets = samples.filter((sample) => sample.secret).length;
  const clean = samples.length - secrets;
  const rate = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
  console.log(`${name}: ${secrets} with a secret, ${clean} clean`);
  for (const [who, count] of Object.entries(counts))
    console.log(
      `  ${who.padEnd(11)} recall ${rate(count.found, secrets)}, false positives ${rate(count.flagged, clean)}`,
    );
  if (misses.length > 0) console.log(`  missed: ${misses.join('; ')}`);
  if (alarms.length > 0) console.log(`  false alarms: ${alarms.join('; ')}`);
}

// 2. Findings per MB on a clean tree.
const tree = collect(maximumBytes, Number.POSITIVE_INFINITY);
const megabytes = tree.bytes / 1e6;
let ours = 0;
let theirs = 0;
for (const target of tree.targets) {
  ours += (await findSecrets(target)).length;
  theirs += await secretlintAlone(target);
}
console.log(`clean tree ${root}: ${tree.targets.length} files, ${megabytes.toFixed(1)} MB`);
console.log(
  `  secret findings per MB: ours ${(ours / megabytes).toFixed(3)}, secretlint alone ${(theirs / megabytes).toFixed(3)}`,
);

// 3. Throughput on a 3,000-file tree, against the secretlint CLI. The machine may be shared: CPU time (this process's,
// and the CLI children's from /proc/self/stat) is the steadier figure; wall time is printed too.
/** CPU seconds used by waited-for child processes (cutime + cstime, Linux). */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
const small = collect(Number.POSITIVE_INFINITY, treeFiles);
const started = performance.now();
const cpuStarted = process.cpuUsage();
for (const target of small.targets) await findSecrets(target);
const oursSeconds = (performance.now() - started) / 1000;
const oursCpu = process.cpuUsage(cpuStarted);
const oursCpuSeconds = (oursCpu.user + oursCpu.system) / 1e6;
const childrenBefore = childrenCpuSeconds();
const cli = join(repositoryRoot, 'node_modules/.bin/secretlint');
const config = join(repositoryRoot, 'bench/secretlintrc.bench.json');
const cliStarted = performance.now();
for (let index = 0; index < small.files.length; index += 500) {
  try {
    execFileSync(
      cli,
      ['--secretlintrc', config, '--format', 'json', '--maskSecrets', ...small.files.slice(index, index + 500)],
      {
        cwd: repositoryRoot,
        stdio: ['ignore', 'ignore', 'ignore'],
        maxBuffer: 256 * 1024 * 1024,
      },
    );
  } catch {
    // exit status 1: secretlint found something; the timing is what counts here
  }
}
const cliSeconds = (performance.now() - cliStarted) / 1000;
const cliCpuSeconds = childrenCpuSeconds() - childrenBefore;
console.log(`${small.files.length}-file tree (${(small.bytes / 1e6).toFixed(1)} MB):`);
console.log(
  `  CPU:  ours ${oursCpuSeconds.toFixed(2)} s, secretlint CLI ${cliCpuSeconds.toFixed(2)} s (${(cliCpuSeconds / oursCpuSeconds).toFixed(1)}× faster)`,
);
console.log(
  `  wall: ours ${oursSeconds.toFixed(2)} s, secretlint CLI ${cliSeconds.toFixed(2)} s (${(cliSeconds / oursSeconds).toFixed(1)}× faster)`,
);
