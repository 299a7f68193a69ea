import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where runs, worktrees and the embedded store live. */
export function resolveDataDir(configured: string | undefined, env: NodeJS.ProcessEnv, baseDir: string): string {
  if (configured) return resolve(baseDir, configured);
  if (env.ORCHESTRATOR_HOME) return resolve(env.ORCHESTRATOR_HOME);
  const dataHome = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(dataHome, 'orchestrator');
}
