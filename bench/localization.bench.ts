// Localization benchmark: with an issue's text as the query at the fix's base commit, is a file the accepted fix changed
// among the top k files? Prints Acc@1/5/10 per repository and overall for the file ranking (`rankFiles`), the older
// "files by their best chunk" ranking and a plain whole-file BM25 computed in the same run, plus index time and query
// latency. Reads only the paths it is given:
//   node bench/localization.bench.ts <localization-dev.json> <mirrors-dir> [--repos a/b,c/d] [--limit N] [--json FILE]
//     [--keep DIR]    also saves each instance's index and baseline ranking in DIR
//     [--reuse DIR]   ranks from what --keep saved, without checking out or indexing (for tuning the ranking)
//     [--options JSON] overrides of the ranking's tunables (`RankFilesOptions`)
// <mirrors-dir> holds one bare git mirror per repository, as `<owner>+<name>/repo`, `<owner>+<name>`, `<name>.git` or
// `<name>`. Each repository is cloned once (`--shared`, the mirror is only read) into a temporary directory, and every
// instance's base commit is checked out there in commit order; the index is updated incrementally between instances.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type RankFilesOptions, RepositoryIndex } from '@orchestrator/retrieval';
import { WholeFileBm25 } from './localization/whole-file-bm25.ts';

interface Instance {
  instance_id: string;
  repo: string;
  base_commit: string;
  problem_statement: string;
  gold_files: string[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    repos: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'string' },
    keep: { type: 'string' },
    reuse: { type: 'string' },
    options: { type: 'string' },
  },
});
const [dataPath, mirrorsPath] = positionals;
if (dataPath === undefined || mirrorsPath === undefined) {
  console.error(
    'usage: node bench/localization.bench.ts <localization-dev.json> <mirrors-dir> [--repos a/b,…] [--limit N]',
  );
  process.exit(2);
}
const instances = (JSON.parse(readFileSync(dataPath, 'utf8')) as Instance[]).filter(
  (instance) => values.repos === undefined || values.repos.split(',').includes(instance.repo),
);
/** `--options '{"maxTerms":60}'`: overrides of `RankFilesOptions`, for tuning. */
const rankOptions = (values.options === undefined ? {} : JSON.parse(values.options)) as RankFilesOptions;
const methods = ['files', 'best-chunk', 'whole-file-bm25'] as const;
type Method = (typeof methods)[number];
const ks = [1, 5, 10] as const;

function mirrorOf(repo: string): string {
  const [owner, name] = repo.split('/') as [string, string];
  const candidates = [`${owner}+${name}/repo`, `${owner}+${name}`, `${name}.git`, name].map((entry) =>
    join(mirrorsPath!, entry),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`No mirror of ${repo} in ${mirrorsPath} (tried ${candidates.join(', ')}).`);
  return found;
}

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
}

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

interface Tally {
  count: number;
  hits: Record<Method, number[]>;
}
const newTally = (): Tally => ({
  count: 0,
  hits: { files: [0, 0, 0], 'best-chunk': [0, 0, 0], 'whole-file-bm25': [0, 0, 0] },
});
const tallies = new Map<string, Tally>();
const overall = newTally();
const latencies: number[] = [];
/** CPU time of the same queries: wall time on a shared, overloaded machine mostly measures waiting for a core. */
const cpuLatencies: number[] = [];
const perInstance: Array<Record<string, unknown>> = [];

function record(tally: Tally, method: Method, ranked: readonly string[], gold: readonly string[]) {
  ks.forEach((k, index) => {
    if (ranked.slice(0, k).some((path) => gold.includes(path))) tally.hits[method][index]! += 1;
  });
}

const byRepo = new Map<string, Instance[]>();
for (const instance of instances) byRepo.set(instance.repo, [...(byRepo.get(instance.repo) ?? []), instance]);
const work = mkdtempSync(join(tmpdir(), 'localization-bench-'));
const saved = values.reuse ?? values.keep;
if (saved !== undefined) mkdirSync(saved, { recursive: true });

function rankWith(index: RepositoryIndex, instance: Instance, whole: string[], tally: Tally, repoLatencies: number[]) {
  const query = instance.problem_statement;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const files = index.rankFiles(query, { ...rankOptions, k: 10 }).map((file) => file.path);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = performance.now() - started;
  cpuLatencies.push((cpu.user + cpu.system) / 1000);
  latencies.push(elapsed);
  repoLatencies.push(elapsed);
  const bestChunk: string[] = [];
  for (const chunk of index.search(query, { k: 200 })) {
    if (!bestChunk.includes(chunk.path)) bestChunk.push(chunk.path);
    if (bestChunk.length === 10) break;
  }
  for (const target of [tally, overall]) {
    target.count += 1;
    record(target, 'files', files, instance.gold_files);
    record(target, 'best-chunk', bestChunk, instance.gold_files);
    record(target, 'whole-file-bm25', whole, instance.gold_files);
  }
  perInstance.push({ id: instance.instance_id, gold: instance.gold_files, files, bestChunk, whole });
}

try {
  for (const [repo, repoInstances] of byRepo) {
    const tally = newTally();
    tallies.set(repo, tally);
    const repoLatencies: number[] = [];
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (values.reuse !== undefined) {
      for (const instance of repoInstances.slice(0, limit)) {
        const databasePath = join(values.reuse, `${instance.instance_id}.sqlite`);
        if (!existsSync(databasePath)) continue;
        const whole = JSON.parse(readFileSync(join(values.reuse, `${instance.instance_id}.json`), 'utf8')) as string[];
        const index = RepositoryIndex.open({ root: work, databasePath });
        rankWith(index, instance, whole, tally, repoLatencies);
        index.close();
      }
      repoLatencies.sort((left, right) => left - right);
      console.log(
        `${repo}: latency p50 ${percentile(repoLatencies, 0.5).toFixed(1)} ms, p95 ${percentile(repoLatencies, 0.95).toFixed(1)} ms`,
      );
      continue;
    }
    const checkout = join(work, repo.replace('/', '+'));
    git(['clone', '--quiet', '--shared', '--no-checkout', mirrorOf(repo), checkout]);
    const commitTime = (commit: string) => Number(git(['log', '-1', '--format=%ct', commit], checkout).trim());
    const ordered = repoInstances
      .map((instance) => ({ instance, time: commitTime(instance.base_commit) }))
      .sort((left, right) => left.time - right.time)
      .slice(0, limit);
    const index = RepositoryIndex.open({
      root: checkout,
      databasePath: join(work, `${repo.replace('/', '+')}.sqlite`),
    });
    const baseline = new WholeFileBm25();
    let coldMs = 0;
    const incrementalMs: number[] = [];
    for (const { instance } of ordered) {
      git(['checkout', '--quiet', '--force', '--detach', instance.base_commit], checkout);
      git(['clean', '--quiet', '-fdx'], checkout);
      const update = await index.update();
      if (coldMs === 0) coldMs = update.durationMs;
      else incrementalMs.push(update.durationMs);
      baseline.update(checkout);
      const whole = baseline.rank(instance.problem_statement, 10);
      if (values.keep !== undefined) {
        const copy = join(values.keep, `${instance.instance_id}.sqlite`);
        rmSync(copy, { force: true });
        index.database.copyTo(copy);
        writeFileSync(join(values.keep, `${instance.instance_id}.json`), JSON.stringify(whole));
      }
      rankWith(index, instance, whole, tally, repoLatencies);
    }
    const counts = index.counts();
    index.close();
    baseline.close();
    incrementalMs.sort((left, right) => left - right);
    repoLatencies.sort((left, right) => left - right);
    console.log(
      `${repo}: ${tally.count} instances, ${counts.files} files / ${counts.chunks} chunks; cold index ${(coldMs / 1000).toFixed(1)} s, ` +
        `incremental between base commits p50 ${percentile(incrementalMs, 0.5)} ms; ` +
        `latency p50 ${percentile(repoLatencies, 0.5).toFixed(1)} ms, p95 ${percentile(repoLatencies, 0.95).toFixed(1)} ms`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function line(name: string, tally: Tally): string {
  const cells = methods.map(
    (method) => `${method} ${tally.hits[method].map((hits) => (hits / tally.count).toFixed(2)).join('/')}`,
  );
  return `${name.padEnd(20)} n=${String(tally.count).padStart(3)}  ${cells.join('  ')}`;
}
console.log('\nAcc@1/5/10');
for (const [repo, tally] of tallies) console.log(line(repo, tally));
console.log(line('overall', overall));
latencies.sort((left, right) => left - right);
cpuLatencies.sort((left, right) => left - right);
console.log(
  `file ranking latency, all repositories: wall p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p95 ${percentile(latencies, 0.95).toFixed(1)} ms; ` +
    `CPU p50 ${percentile(cpuLatencies, 0.5).toFixed(1)} ms, p95 ${percentile(cpuLatencies, 0.95).toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
);
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(perInstance, null, 1));
