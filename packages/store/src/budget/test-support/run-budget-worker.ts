import { spawn } from 'node:child_process';

/** Runs the worker script in a separate Node process and returns what it granted. */
export function runWorker(args: readonly string[]): Promise<{ granted: number; grantedUsd: number }> {
  const script = new URL('./budget-worker.ts', import.meta.url).pathname;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(JSON.parse(stdout) as { granted: number; grantedUsd: number });
      else reject(new Error(`budget worker exited ${code}: ${stderr}`));
    });
  });
}
