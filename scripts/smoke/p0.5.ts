// Phase 0.5: `npm run dev` runs the event loop with mock agents on a sample task and exits 0 on its own.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { check, finish, freshDataDir, repoRoot } from './smoke-helpers.ts';

const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/dev.ts')], {
  cwd: repoRoot,
  encoding: 'utf8',
  env: { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', ORCHESTRATOR_HOME: freshDataDir('p05') },
  timeout: 120_000,
});
check('dev exits on its own (no dangling handles or timers)', result.signal === null, result.signal ?? '');
check('dev exits 0', result.status === 0, result.stderr.trim().slice(-400));
check(
  'the mock agents converge and the journal is gap-free',
  /CONVERGED after \d+ turns · \d+ journal events, gap-free/.test(result.stdout),
  result.stdout.trim().split('\n').at(-1) ?? '',
);
finish('p0.5');
