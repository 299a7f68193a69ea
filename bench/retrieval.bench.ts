// Retrieval benchmark: cold index, incremental re-index and query latency on a large real code base available offline
// (the sources of the packages in node_modules, copied to a temporary directory so the original is never touched).
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RepositoryIndex, walkRepository } from '@orchestrator/retrieval';

const source = process.env.RETRIEVAL_BENCH_SOURCE ?? new URL('../node_modules/', import.meta.url).pathname;
const selection = {
  maxFileBytes: 512 * 1024,
  exclude: ['*.map', '*.min.js', '*.wasm', '.bin/'],
  respectGitignore: false,
};
const workDirectory = mkdtempSync(join(tmpdir(), 'retrieval-bench-'));
const corpus = join(workDirectory, 'corpus');

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

try {
  const walk = walkRepository(source, selection);
  let corpusBytes = 0;
  for (const file of walk.files) {
    const target = join(corpus, file.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file.absolutePath, target);
    corpusBytes += file.size;
  }
  console.log(`corpus: ${walk.files.length} files, ${megabytes(corpusBytes)} from ${source}`);
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(`cpus available: ${availableParallelism()}, load average ${load()} (other processes share the cores)`);

  const databasePath = join(workDirectory, 'index.sqlite');
  const workers =
    process.env.RETRIEVAL_BENCH_WORKERS === undefined ? {} : { workers: Number(process.env.RETRIEVAL_BENCH_WORKERS) };
  const index = RepositoryIndex.open({ root: corpus, databasePath, selection, ...workers });
  const cpuBefore = process.cpuUsage();
  const cold = await index.update();
  const cpu = process.cpuUsage(cpuBefore);
  const coldSeconds = cold.durationMs / 1000;
  console.log(
    `cold index: ${coldSeconds.toFixed(1)} s, ${Math.round(cold.filesSeen / coldSeconds)} files/s ` +
      `(${cold.filesIndexed} chunked, skipped ${JSON.stringify(cold.skipped)}), ${cold.chunks} chunks; ` +
      `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s over all threads = ${Math.round(cold.filesSeen / ((cpu.user + cpu.system) / 1e6))} files per CPU-second (workers: ${workers.workers ?? 'auto'})`,
  );

  const noChange = await index.update();
  console.log(`incremental, nothing changed: ${noChange.durationMs} ms (${noChange.filesUnchanged} files unchanged)`);

  const changedFile = walk.files.find((file) => file.path.endsWith('.ts') && file.size > 2000)!.path;
  appendFileSync(join(corpus, changedFile), '\nexport function benchmarkMarkerFunction(): number { return 42; }\n');
  const oneChange = await index.update();
  const found = index.search('benchmarkMarkerFunction', { k: 1 })[0]?.path === changedFile;
  console.log(
    `incremental, one file changed: ${oneChange.durationMs} ms (${oneChange.filesIndexed} re-chunked; new function found: ${found})`,
  );

  const queries = [
    'parse command line options',
    'createHash sha256',
    'readFileSync',
    'retry with exponential backoff',
    'tokenize source text',
    'websocket connection close',
    'JSON schema validation error',
    'escape html entities',
    'stream pipeline error handling',
    'format date time zone',
    'resolve module path',
    'sourcemap mappings decode',
    'abort signal timeout',
    'http request headers authorization',
    'spinner text update',
    'parseAsync',
    'TypeScript compiler options strict',
    'walk directory recursively',
    'color terminal output',
    'yaml document parse',
    'get user name',
    'sqlite database prepare statement',
    'emit event listener',
    'deep equal objects',
    'hash password',
  ];
  const latencies: number[] = [];
  for (let round = 0; round < 4; round += 1) {
    for (const query of queries) {
      const started = performance.now();
      index.search(query, { k: 10 });
      latencies.push(performance.now() - started);
    }
  }
  latencies.sort((left, right) => left - right);
  console.log(
    `query latency (k=10, ${latencies.length} queries): p50 ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
      `p95 ${percentile(latencies, 0.95).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
  );

  const mapStarted = performance.now();
  const map = index.repoMap({ tokens: 1024 });
  console.log(`repo map (1024 tokens): ${Math.round(performance.now() - mapStarted)} ms, ${map.files.length} files`);

  index.database.database.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  index.close();
  console.log(`load average at the end: ${load()}`);
  console.log(`index size: ${megabytes(statSync(databasePath).size)} (corpus ${megabytes(corpusBytes)})`);
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}
