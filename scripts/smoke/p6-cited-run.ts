// Phase 6, second half: the real CLI runs "update src/auth.ts per policy" on the sample repository. The kernel retrieves
// for every turn, the Builder cites the chunks of src/auth.ts and of the policy section (ids and lines), the kernel
// checks each citation against the ids retrieved for that turn, and an invented citation is a protocol error.
import type { MessageData, RetrievedChunk } from '@orchestrator/spec';
import { openJournalStore } from '@orchestrator/store';
import { check, cli } from './smoke-helpers.ts';

interface TurnSummary {
  turn: number;
  kind: string;
  verdict?: string;
  citations?: Array<{ chunkId: string; startLine?: number; endLine?: number }>;
  problem?: string;
}

const runIdOf = (stdout: string) => /run (r-[a-z0-9]+)/.exec(stdout)?.[1] ?? '';

function showRun(runId: string, env: NodeJS.ProcessEnv): { turns: TurnSummary[]; status?: string; diff?: string } {
  try {
    return JSON.parse(cli(['runs', 'show', runId, '--json'], env).stdout);
  } catch {
    return { turns: [] };
  }
}

async function messageEvents(dataDir: string, runId: string): Promise<MessageData[]> {
  const store = await openJournalStore({ dataDir });
  try {
    const events = await store.read(runId);
    return events.flatMap((event) => (event.type === 'message' ? [event.data as MessageData] : []));
  } finally {
    await store.close();
  }
}

const within = (citation: { startLine?: number; endLine?: number } | undefined, start: number, end: number) =>
  citation?.startLine !== undefined &&
  citation.endLine !== undefined &&
  citation.startLine >= start &&
  citation.endLine <= end &&
  citation.startLine <= citation.endLine;

/** Runs the task through the CLI and checks the Builder's citations, then the invented-citation faults. */
export async function checkCitedRun(input: {
  repo: string;
  env: NodeJS.ProcessEnv & { ORCHESTRATOR_HOME: string };
  task: string;
  git: (...args: string[]) => void;
  chunks: {
    verify?: RetrievedChunk | undefined;
    hash?: RetrievedChunk | undefined;
    policy?: RetrievedChunk | undefined;
  };
}): Promise<void> {
  const { repo, env, task, chunks } = input;
  input.git('commit', '-q', '-a', '-m', 'Currency');
  const run = cli(['run', task, '--repo', repo], env);
  const runId = runIdOf(run.stdout);
  console.log(
    run.stdout
      .split('\n')
      .filter((line) => /turn \d|cites|citation|CONVERGED|PAUSED/.test(line))
      .join('\n'),
  );
  check(
    `orchestrator run "${task}" converges`,
    run.status === 0 && run.stdout.includes('CONVERGED'),
    run.stderr.trim(),
  );
  const shown = showRun(runId, env);
  const implement = shown.turns.find((turn) => turn.kind === 'implement');
  const cited = (chunk: RetrievedChunk | undefined) =>
    implement?.citations?.find((citation) => chunk !== undefined && citation.chunkId === chunk.id);
  const verifyCitation = cited(chunks.verify);
  check(
    'the Builder cites the chunk id of verifyLogin in src/auth.ts with lines inside 8-11',
    within(verifyCitation, 8, 11),
    `${chunks.verify?.id ?? 'missing'} cited as ${JSON.stringify(verifyCitation)}`,
  );
  check(
    'the Builder cites the chunk id of hashPassword in src/auth.ts with lines inside 3-6',
    within(cited(chunks.hash), 3, 6),
    `${chunks.hash?.id ?? 'missing'} cited as ${JSON.stringify(cited(chunks.hash))}`,
  );
  const policyCitation = cited(chunks.policy);
  check(
    'the Builder cites the policy section "Passwords" (docs/security-policy.md) at its lines 3-5',
    policyCitation?.startLine === 3 && policyCitation.endLine === 5,
    `${chunks.policy?.id ?? 'missing'} cited as ${JSON.stringify(policyCitation)}`,
  );
  check(
    'the change follows the policy: salted scrypt, constant-time comparison, no plain SHA-256',
    (shown.diff ?? '').includes('+import { randomBytes, scryptSync, timingSafeEqual }') &&
      (shown.diff ?? '').includes('timingSafeEqual(expected, actual)') &&
      (shown.diff ?? '').includes("-  return createHash('sha256')"),
  );
  const messages = await messageEvents(env.ORCHESTRATOR_HOME, runId);
  const builderMessage = messages.find((message) => message.message.kind === 'implement');
  check(
    'the journal records the chunk ids retrieved for the Builder’s turn, and every id it cites is among them',
    builderMessage?.retrievedChunkIds !== undefined &&
      (implement?.citations ?? []).length > 0 &&
      (implement?.citations ?? []).every((citation) => builderMessage.retrievedChunkIds?.includes(citation.chunkId)),
    `${builderMessage?.retrievedChunkIds?.length ?? 0} retrieved`,
  );
  check(
    'each role’s turn was given retrieved chunks (Architect, Builder, Critic)',
    messages.length >= 3 && messages.every((message) => (message.retrievedChunkIds ?? []).length > 0),
  );
  check(
    'no citation of the run is invalid',
    messages.every((message) => message.invalidCitations === undefined),
  );

  // An invented citation, corrected when the kernel re-asks with the citation error: journaled, then converged.
  const repaired = cli(['run', task, '--repo', repo, '--fault', 'builder:invented-citation'], env);
  const repairedMessages = await messageEvents(env.ORCHESTRATOR_HOME, runIdOf(repaired.stdout));
  const repairedBuilder = repairedMessages.find((message) => message.message.kind === 'implement');
  check(
    'an invented citation is rejected by the kernel and repaired on the Builder’s one re-ask (journaled)',
    repaired.status === 0 &&
      repaired.stdout.includes('CONVERGED') &&
      repairedBuilder?.repairedCitations?.[0]?.reason === 'not-retrieved' &&
      repairedBuilder.invalidCitations === undefined,
    JSON.stringify(repairedBuilder?.repairedCitations?.map((entry) => entry.citation.chunkId) ?? []),
  );

  // An invented citation that stands: the Critic is told, revises, and the run never converges on it.
  const standing = cli(['run', task, '--repo', repo, '--fault', 'builder:invented-citation-always'], env);
  const standingShown = showRun(runIdOf(standing.stdout), env);
  const standingImplement = standingShown.turns.find((turn) => turn.kind === 'implement');
  const standingVerify = standingShown.turns.find((turn) => turn.kind === 'verify');
  check(
    'an invented citation that stands is printed as invalid and keeps the implementation from converging',
    standing.stdout.includes('citation invalid: Chunk src/auth.ts:1-400#0123456789ab was not retrieved') &&
      (standingImplement?.problem ?? '').includes('chunk citations do not hold'),
    standingImplement?.problem ?? 'no problem recorded',
  );
  check(
    'the Critic sees it and does not accept; the run pauses instead of converging',
    standingVerify?.verdict === 'revise' && standing.status !== 0 && !standing.stdout.includes('CONVERGED'),
    `verdict ${standingVerify?.verdict ?? 'none'}, exit ${standing.status}`,
  );
}
