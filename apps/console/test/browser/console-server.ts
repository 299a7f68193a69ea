import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** Builds the console into apps/console/dist (vite, about a second). Throws with vite's output when it fails. */
export function buildConsole(): void {
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', 'apps/console', '--logLevel', 'warn'], {
    cwd: repoRoot,
    encoding: 'utf8',
    // Vitest sets NODE_ENV=test, which would make vite bundle React's development build: test what users get.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (built.status !== 0) throw new Error(`building the console failed:\n${built.stdout}\n${built.stderr}`);
}

/** A running `orchestrator serve`. */
export interface ConsoleServer {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  /** What `serve` printed (human mode is not used: this is the JSON document). */
  started: { url: string; tokenPath: string; tokenCreated: boolean; consoleUrl: string; consoleBuilt: boolean };
  /** Stops the server (SIGINT, as Ctrl-C) and waits for it to exit. Runs it started keep going. */
  stop(): Promise<void>;
}

/**
 * Starts `orchestrator serve --json` as a user would, on a fresh or given data directory (`ORCHESTRATOR_HOME`), on
 * `port` (0: any free one), with extra `args` (e.g. `--fault builder:hold`); resolves once it listens.
 */
export function startConsoleServer(options: {
  dataDir: string;
  port?: number;
  args?: readonly string[];
}): Promise<ConsoleServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(repoRoot, 'apps/orchestrator/src/bin.ts'),
      'serve',
      '--port',
      String(options.port ?? 0),
      '--json',
      ...(options.args ?? []),
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        ORCHESTRATOR_HOME: options.dataDir,
        DATABASE_URL: '',
        ANTHROPIC_API_KEY: '',
        OPENAI_API_KEY: '',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      let started: ConsoleServer['started'];
      try {
        started = JSON.parse(output) as ConsoleServer['started'];
      } catch {
        return; // Not the whole document yet.
      }
      const url = new URL(started.url);
      resolve({
        url: started.url,
        port: Number(url.port),
        token: readFileSync(started.tokenPath, 'utf8').trim(),
        dataDir: options.dataDir,
        started,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
          await exited;
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${errors}`)));
  });
}
