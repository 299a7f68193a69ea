// Phase 9: policy gates stop unsafe changes before they are committed. On real git repositories: a change adding a
// .env with a secret and one adding a GPL-3.0 licence text to an MIT project both fail with actionable errors and
// nothing is committed; the git hook does the same for a person; allowlists apply until they expire; no secret is
// ever printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  detectProjectLicence,
  enforceVerdict,
  loadPolicy,
  runGate,
  toPolicyVerdictEventData,
} from '@orchestrator/policy';
import { OrchestratorError, policyVerdictDataSchema } from '@orchestrator/spec';
import { check, cli, finish, freshDataDir } from './smoke-helpers.ts';

const require = createRequire(import.meta.url);
const gplText = (require('spdx-license-list/full') as Record<string, { licenseText: string }>)['GPL-3.0-only']!
  .licenseText;
// Assembled at run time so this script never holds a scannable token itself.
const secret = ['gh', 'p_', 'R8kz2Lq9XwV4pN7tY1mB5cJ3hF6dS0aQ2eU8'].join('');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function mitRepository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'orchestrator-p9-'));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'smoke@example.com');
  git(repo, 'config', 'user.name', 'Smoke');
  writeFileSync(join(repo, 'package.json'), '{ "name": "app", "version": "1.0.0", "license": "MIT" }\n');
  writeFileSync(join(repo, 'index.js'), 'module.exports = 1;\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'initial');
  return repo;
}

/** What the kernel does before committing: stage, run the pre-commit gate on the staged diff, commit only if it passes. */
async function gatedCommit(repo: string, message: string): Promise<{ error?: OrchestratorError; output: string }> {
  git(repo, 'add', '-A');
  const { policy } = await loadPolicy(repo);
  const projectLicence = policy.projectLicence ?? detectProjectLicence(repo);
  const verdict = await runGate({
    gate: 'pre-commit',
    diff: git(repo, 'diff', '--cached', '--no-color'),
    commitMessage: message,
    policy,
    role: 'builder',
    ...(projectLicence === undefined ? {} : { projectLicence }),
  });
  const output = JSON.stringify(toPolicyVerdictEventData(verdict));
  try {
    enforceVerdict(verdict);
  } catch (error) {
    if (OrchestratorError.isInstance(error)) return { error, output: `${output}\n${error.message}\n${error.hint}` };
    throw error;
  }
  git(repo, 'commit', '-q', '-m', message);
  return { output };
}

const commits = (repo: string) => git(repo, 'rev-list', '--count', 'HEAD').trim();

// 1. A .env with a secret.
const envRepo = mitRepository();
writeFileSync(join(envRepo, '.env'), `NODE_ENV=production\nGITHUB_TOKEN=${secret}\n`);
const envResult = await gatedCommit(envRepo, 'add configuration');
check(
  '.env with a secret is blocked',
  envResult.error?.code === 'policy-blocked',
  envResult.error?.code ?? 'not blocked',
);
check('nothing is committed', commits(envRepo) === '1');
check(
  'error names file and line, rule id, why, and how to fix or allowlist',
  envResult.error?.message.includes('.env:2') === true &&
    envResult.error.message.includes('secret.github.github-token') &&
    envResult.error.message.includes('secret.dotenv-file') &&
    (envResult.error.hint ?? '').includes('allowlist'),
  envResult.error?.message.split('\n')[1]?.trim() ?? '',
);
check('the secret appears nowhere in the verdict or error', !envResult.output.includes(secret));
check(
  'the verdict is a valid policy-verdict journal event payload',
  policyVerdictDataSchema.safeParse(JSON.parse(envResult.output.split('\n')[0] ?? '{}')).success,
);

// 2. GPL-3.0 licence text into an MIT repository.
const gplRepo = mitRepository();
writeFileSync(join(gplRepo, 'COPYING'), gplText);
const gplResult = await gatedCommit(gplRepo, 'vendor a helper');
check('GPL-3.0 text in an MIT repository is blocked', gplResult.error?.code === 'policy-blocked');
check('nothing is committed', commits(gplRepo) === '1');
check(
  'error names file, rule and both licences',
  gplResult.error?.message.includes('COPYING:1') === true &&
    gplResult.error.message.includes('licence.incompatible') &&
    gplResult.error.message.includes('GPL-3.0') &&
    gplResult.error.message.includes('MIT'),
  gplResult.error?.message.split('\n')[1]?.trim() ?? '',
);

// 3. The same for a person: `orchestrator policy check --staged` and the installed git hook.
const hookRepo = mitRepository();
writeFileSync(join(hookRepo, '.env'), `GITHUB_TOKEN=${secret}\n`);
git(hookRepo, 'add', '.env');
const json = cli(['policy', 'check', '--staged', '--json', '--repo', hookRepo]);
let verdict: { verdict?: string } = {};
try {
  verdict = JSON.parse(json.stdout);
} catch {}
check(
  '`policy check --staged --json` exits 2 with a block verdict',
  json.status === 2 && verdict.verdict === 'block',
  `exit ${json.status}`,
);
const install = cli(['policy', 'install-hook', '--repo', hookRepo]);
check('`policy install-hook` installs the hooks', install.status === 0, install.stderr.trim());
const hooked = spawnSync('git', ['commit', '-m', 'add env'], { cwd: hookRepo, encoding: 'utf8' });
check(
  'the pre-commit hook refuses the commit',
  hooked.status !== 0 && commits(hookRepo) === '1',
  `git exit ${hooked.status}`,
);
const printed = `${json.stdout}${json.stderr}${hooked.stdout}${hooked.stderr}`;
check('no secret in any CLI or hook output', !printed.includes(secret) && printed.includes('sha256:'));

git(hookRepo, 'rm', '-q', '--cached', '.env');
writeFileSync(join(hookRepo, 'notes.md'), 'release notes\n');
git(hookRepo, 'add', 'notes.md');
const messageHook = spawnSync('git', ['commit', '-m', `deploy with ${secret}`], { cwd: hookRepo, encoding: 'utf8' });
check('the commit-msg hook refuses a message carrying a secret', messageHook.status !== 0 && commits(hookRepo) === '1');
const clean = spawnSync('git', ['commit', '-q', '-m', 'add release notes'], { cwd: hookRepo, encoding: 'utf8' });
check('a clean change commits through the hooks', clean.status === 0 && commits(hookRepo) === '2', clean.stderr.trim());

// 4. Allowlists apply until they expire, and say so when they stop.
const allowRepo = mitRepository();
writeFileSync(join(allowRepo, 'COPYING'), gplText);
writeFileSync(
  join(allowRepo, 'orchestrator.policy.yaml'),
  'allowlist:\n  - when: finding.ruleId == "licence.incompatible" && finding.path == "COPYING"\n    reason: dual-licensed by the copyright holder\n    expires: 2999-12-31\n',
);
const allowed = await gatedCommit(allowRepo, 'add GPL-3.0 option');
check(
  'a dated allowlist entry lets the change through',
  allowed.error === undefined && commits(allowRepo) === '2',
  allowed.error?.message ?? '',
);
writeFileSync(join(allowRepo, 'LICENSE-GPL'), gplText);
writeFileSync(
  join(allowRepo, 'orchestrator.policy.yaml'),
  'allowlist:\n  - when: finding.ruleId == "licence.incompatible"\n    reason: temporary exception\n    expires: 2020-01-31\n',
);
git(allowRepo, 'add', 'orchestrator.policy.yaml', 'LICENSE-GPL');
const expiredCheck = cli(['policy', 'check', '--staged', '--repo', allowRepo]);
const expired = await gatedCommit(allowRepo, 'add another copy');
check('an expired entry stops applying', expired.error?.code === 'policy-blocked' && commits(allowRepo) === '2');
check('and the check says it expired', expiredCheck.stdout.includes('expired on 2020-01-31 and no longer applies'));
// Through the real CLI: runs whose converged change adds a .env with a live key, or vendors a GPL-3.0 file into this MIT
// repository, stop at the pre-commit gate of the delivery (`run --open-pr`) with actionable errors; nothing is committed.
const liveKey = ['sk', '_live_', '51H8kq2LzR9xVw4pN7tY1mB5cJ3hF6dS0a'].join('');
for (const [task, rule] of [
  ['add a .env with the API key', 'secret.stripe-secret-key'],
  ['vendor a GPL-3.0 file', 'licence.incompatible'],
] as const) {
  const repo = mitRepository();
  const env = {
    ORCHESTRATOR_HOME: freshDataDir('p9-run'),
    ANTHROPIC_API_KEY: '',
    OPENAI_API_KEY: '',
    GITHUB_TOKEN: '',
    GITHUB_REPOSITORY: '',
  };
  const run = cli(['run', '--open-pr', task, '--repo', repo], env);
  const output = run.stdout + run.stderr;
  check(
    `run "${task}" is stopped by the pre-commit gate (exit 2, paused: policy-blocked)`,
    run.status === 2 && output.includes('PAUSED (policy-blocked)'),
    `exit ${run.status}`,
  );
  check(
    '… with file:line, rule id, why, and how to fix or allowlist',
    new RegExp(`\\S+:\\d+ \\[${rule.replace(/\./g, '\\.')}\\] `).test(output) &&
      output.includes('How to fix') &&
      output.includes('allowlist: [{ id: "'),
  );
  const branches = git(repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/orchestrator/').trim();
  const branchCommits = branches === '' ? '0' : git(repo, 'rev-list', '--count', branches).trim();
  const prs = cli(['pr', 'list', '--state', 'all', '--json', '--repo', repo], env);
  check(
    '… and nothing is committed, pushed or proposed',
    commits(repo) === '1' &&
      branchCommits === '1' &&
      prs.status === 0 &&
      (JSON.parse(prs.stdout) as { pullRequests: unknown[] }).pullRequests.length === 0,
    `main ${commits(repo)}, run branch ${branchCommits} commit(s)`,
  );
  if (rule.startsWith('secret.')) {
    check('… and the output never shows the key (redacted fingerprint only)', !output.includes(liveKey));
    // The model's reply carried the key: the journal (events, prompt and reply blobs, response cache) keeps only its
    // fingerprint. Read the database files byte for byte, write-ahead log included.
    const journalFiles = readdirSync(env.ORCHESTRATOR_HOME).filter((name) => name.startsWith('journal.db'));
    const leaked = journalFiles.filter((name) => readFileSync(join(env.ORCHESTRATOR_HOME, name)).includes(liveKey));
    check(
      '… and the journal on disk never holds the key',
      journalFiles.length > 0 && leaked.length === 0,
      `${journalFiles.join(', ')}${leaked.length > 0 ? `; leaked in ${leaked.join(', ')}` : ''}`,
    );
  }
}

finish('p9');
