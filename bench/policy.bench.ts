// Policy scanners: throughput on a large real tree (node_modules) and the secret scanner's precision and recall on a
// labelled set built from documented token formats and look-alikes (packages/policy/test/secret-labelled-set.ts).
// POLICY_BENCH_ROOT picks the tree (default: this repository's node_modules), POLICY_BENCH_MAX_MB caps the bytes read.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  reviewTargets,
  type ScanTarget,
  scanLicences,
  scanPii,
  scanSecrets,
  targetFromFile,
} from '@orchestrator/policy';
import { secretLabelledSet } from '../packages/policy/test/secret-labelled-set.ts';

const root = process.env.POLICY_BENCH_ROOT ?? new URL('../node_modules', import.meta.url).pathname;
const maximumBytes = Number(process.env.POLICY_BENCH_MAX_MB ?? '400') * 1e6;
const maximumFileBytes = 2 * 1024 * 1024;

function collect(): { targets: ScanTarget[]; bytes: number; skipped: number } {
  const targets: ScanTarget[] = [];
  let bytes = 0;
  let skipped = 0;
  const stack = [root];
  while (stack.length > 0 && bytes < maximumBytes) {
    const directory = stack.pop()!;
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) stack.push(path);
      else if (entry.isFile()) {
        const buffer = readFileSync(path);
        if (buffer.length > maximumFileBytes || buffer.subarray(0, 8000).includes(0)) {
          skipped += 1;
          continue;
        }
        bytes += buffer.length;
        targets.push(targetFromFile(relative(root, path), buffer.toString('utf8')));
      }
    }
  }
  return { targets, bytes, skipped };
}

const { targets, bytes, skipped } = collect();
const megabytes = bytes / 1e6;
console.log(
  `tree: ${root} — ${targets.length} text files, ${megabytes.toFixed(1)} MB (${skipped} binary or >2 MB files skipped)`,
);

const scanners: Array<[string, () => Promise<unknown[]> | unknown[]]> = [
  ['secrets (gitleaks rules + secretlint + .env + entropy)', () => scanSecrets(targets)],
  ['pii', () => scanPii(targets)],
  ['licences (texts, notices, SPDX, manifests)', () => scanLicences(targets, { projectLicence: 'MIT' })],
  ['static reviewer', () => reviewTargets(targets)],
];
// Wall time depends on what else the machine runs; CPU time of this process is the steadier figure.
let totalSeconds = 0;
let totalCpuSeconds = 0;
console.log(
  `  ${'scanner'.padEnd(44)} ${'wall MB/s'.padStart(10)} ${'CPU MB/s'.padStart(10)} ${'findings'.padStart(9)}`,
);
for (const [name, run] of scanners) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const findings = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  totalSeconds += seconds;
  totalCpuSeconds += cpuSeconds;
  const rates = `${(megabytes / seconds).toFixed(1).padStart(10)} ${(megabytes / cpuSeconds).toFixed(1).padStart(10)}`;
  console.log(`  ${name.padEnd(44)} ${rates} ${String(findings.length).padStart(9)}`);
}
const totalRates = `${(megabytes / totalSeconds).toFixed(1).padStart(10)} ${(megabytes / totalCpuSeconds).toFixed(1).padStart(10)}`;
console.log(`  ${'all scanners, one after another'.padEnd(44)} ${totalRates}`);

const samples = secretLabelledSet();
let truePositives = 0;
let falsePositives = 0;
let falseNegatives = 0;
const misses: string[] = [];
const falseAlarms: string[] = [];
for (const sample of samples) {
  const found = (await scanSecrets([targetFromFile(sample.path, sample.content)])).length > 0;
  if (sample.secret && found) truePositives += 1;
  else if (sample.secret) {
    falseNegatives += 1;
    misses.push(sample.name);
  } else if (found) {
    falsePositives += 1;
    falseAlarms.push(sample.name);
  }
}
const precision = truePositives / (truePositives + falsePositives);
const recall = truePositives / (truePositives + falseNegatives);
console.log(
  `secret scanner on ${samples.length} labelled samples (${samples.filter((sample) => sample.secret).length} secrets, ${samples.filter((sample) => !sample.secret).length} look-alikes): precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
);
if (misses.length > 0) console.log(`  missed: ${[...new Set(misses)].join('; ')}`);
if (falseAlarms.length > 0) console.log(`  false alarms: ${[...new Set(falseAlarms)].join('; ')}`);
