import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface FixturesServer {
  /** Loads a recorded scenario (a folder name of @octokit/fixtures, e.g. `git-refs`) and returns its API base URL. */
  loadScenario(scenario: string): Promise<string>;
  close(): Promise<void>;
}

/** The token every recorded @octokit/fixtures scenario was made with. */
export const fixturesToken = '0000000000000000000000000000000000000001';

/** Starts @octokit/fixtures-server as a child process on 127.0.0.1 and waits until it listens. */
export async function startFixturesServer(): Promise<FixturesServer> {
  const script = new URL('./fixtures-server-process.ts', import.meta.url).pathname;
  const child: ChildProcess = spawn(process.execPath, ['--no-deprecation', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const [firstLine] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`the fixtures server exited with code ${String(code)} before listening`);
    }),
  ])) as [string];
  const origin = `http://127.0.0.1:${Number(firstLine)}`;
  return {
    async loadScenario(scenario) {
      const response = await fetch(`${origin}/fixtures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario }),
      });
      if (response.status !== 201) throw new Error(`fixtures server: ${response.status} ${await response.text()}`);
      const { url } = (await response.json()) as { url: string };
      return url;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
