// Phase 1: the debate kernel runs offline on the scripted model: poc:mock converges within 3 turns and prints the diff;
// the three scripted tasks produce real edits (the added test passes); stop rules pause with a reason; runs list|show.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { check, cli, finish, freshDataDir } from './smoke-helpers.ts';

const home = freshDataDir('p1');
const env = { ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', OPENAI_BASE_URL: '', ORCHESTRATOR_HOME: home };
const turnsOf = (stdout: string) => Number(/CONVERGED after (\d+) turn/.exec(stdout)?.[1] ?? Number.NaN);
const runIdOf = (stdout: string) => /run (r-[a-z0-9]+)/.exec(stdout)?.[1] ?? '';

const readme = cli(['run', '--demo-repo', 'add a README section'], env);
console.log(readme.stdout);
check('poc:mock "add a README section" exits 0', readme.status === 0, readme.stderr.trim());
check(
  'prints each turn (architect, builder, critic)',
  /turn 1 architect[\s\S]*turn 2 builder[\s\S]*turn 3 critic/.test(readme.stdout),
);
check(
  'prints the diff with the new section',
  readme.stdout.includes('+## Usage') && readme.stdout.includes('--- a/README.md'),
);
check('CONVERGED within 3 turns', turnsOf(readme.stdout) <= 3, `turns: ${turnsOf(readme.stdout)}`);

const license = cli(['run', '--demo-repo', 'add a LICENSE file'], env);
check(
  '"add a LICENSE file" converges with a LICENSE in the diff',
  license.status === 0 && license.stdout.includes('+MIT License'),
);

const fn = cli(['run', '--demo-repo', '--keep-worktree', 'add a function with its test'], env);
check('"add a function with its test" converges', fn.status === 0 && fn.stdout.includes('+export function slugify'));
const worktree = join(home, 'worktrees', runIdOf(fn.stdout));
const tests = spawnSync(process.execPath, ['--test'], { cwd: worktree, encoding: 'utf8' });
check(
  'the function and its test work in the run worktree (node --test)',
  tests.status === 0,
  tests.stdout
    .split('\n')
    .filter((line) => line.startsWith('# pass') || line.startsWith('# fail'))
    .join(', '),
);

const malformed = cli(['run', '--demo-repo', 'add a README section', '--fault', 'builder:malformed-json-always'], env);
check(
  'malformed output after bounded repair pauses the run (exit 5) with the reason',
  malformed.status === 5 && malformed.stdout.includes('PAUSED (malformed-output)'),
  `exit ${malformed.status}`,
);

const capped = cli(['run', '--demo-repo', 'add a README section', '--max-turns', '2'], env);
check('turn cap pauses with a reason', capped.status === 5 && capped.stdout.includes('PAUSED (turn-cap)'));
const resumed = cli(['resume', runIdOf(capped.stdout), '--max-turns', '3'], env);
check(
  'resume with a higher cap converges',
  resumed.status === 0 && resumed.stdout.includes('CONVERGED after 3 turn'),
  resumed.stderr.trim(),
);

const list = cli(['runs', 'list', '--json'], env);
let runs: Array<{ runId: string; status: string }> = [];
try {
  runs = (JSON.parse(list.stdout) as { runs: typeof runs }).runs;
} catch {}
check('runs list --json lists the 5 runs', runs.length === 5, `${runs.length} runs`);
const show = cli(['runs', 'show', runIdOf(readme.stdout), '--json'], env);
let summary: { status?: string; journalProblems?: string[]; turns?: unknown[] } = {};
try {
  summary = JSON.parse(show.stdout);
} catch {}
check(
  'runs show --json: converged, 3 turns, gap-free journal',
  summary.status === 'converged' && summary.turns?.length === 3 && summary.journalProblems?.length === 0,
);
const human = cli(['runs', 'show', runIdOf(readme.stdout)], env);
check(
  'runs show prints the turns and the diff',
  human.status === 0 && human.stdout.includes('turn  3 critic') && human.stdout.includes('+## Usage'),
);
finish('p1');
