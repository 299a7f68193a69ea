// A separate process that runs the pull-request step, so a test can SIGKILL it mid-step and resume it.
import { SqliteJournalStore } from '@orchestrator/store';
import { environmentFaultHook, LocalForge, openPullRequest } from '../src/index.ts';

const [dataDir, repo, worktree, branch, journalFile, runId, idempotencyKey] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const journal = SqliteJournalStore.open(journalFile);
const forge = new LocalForge({ dataDir, sourceRepository: repo });
const result = await openPullRequest({
  forge,
  workspace: { root: worktree, branch },
  run: { runId, task: 'add LICENSE', baseBranch: 'main', labels: ['orchestrator'] },
  events: await journal.read(runId),
  idempotencyKey,
  onFaultPoint: environmentFaultHook(process.env),
});
process.stdout.write(JSON.stringify({ number: result.pullRequest.number, created: result.created }));
await forge.close();
await journal.close();
