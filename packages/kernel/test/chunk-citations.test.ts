import { createHash } from 'node:crypto';
import { type MessageData, renderChunkForPrompt } from '@orchestrator/spec';
// biome-ignore lint/style/noRestrictedImports: kernel tests use the shared fakes.
import { InMemoryJournalStore, InMemoryWorkspaceProvider } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { resumeRun, startRun } from '../src/debate/debate-loop.ts';
import { projectRun } from '../src/journal/run-projection.ts';
import { type ContextProvider, workspaceContextProvider } from '../src/prompt/context-provider.ts';
import { defaultLimits, roles, testRuntime } from './kernel-fixture.ts';

const task = 'update src/auth.ts per policy';
const files: Record<string, string> = {
  'src/auth.ts': [
    "import { createHash } from 'node:crypto';",
    '',
    '/** Hashes a password for storage. */',
    'export function hashPassword(password: string): string {',
    "  return createHash('sha256').update(password).digest('hex');",
    '}',
    '',
    '/** Checks a login attempt against the stored hash. */',
    'export function verifyLogin(storedHash: string, attempt: string): boolean {',
    '  return storedHash === hashPassword(attempt);',
    '}',
    '',
  ].join('\n'),
  'docs/security-policy.md':
    '# Security policy\n\n## Passwords\n\nPasswords are hashed with scrypt and a random per-user salt; plain SHA-256 is not allowed.\n',
  'README.md': '# Sample service\n',
};

/**
 * A stand-in for the retrieval package (the kernel imports only spec): one chunk per definition of src/auth.ts and
 * one per policy file, cut from the workspace's current text, rendered and identified as the real index does.
 */
function fakeRetrieval(): ContextProvider {
  const workspaceContext = workspaceContextProvider();
  const ranges: Array<{ path: string; startLine: number; endLine: number; symbol: string }> = [
    { path: 'src/auth.ts', startLine: 3, endLine: 6, symbol: 'hashPassword' },
    { path: 'src/auth.ts', startLine: 8, endLine: 11, symbol: 'verifyLogin' },
    { path: 'docs/security-policy.md', startLine: 1, endLine: 5, symbol: 'Passwords' },
  ];
  return async (input) => {
    const sections = await workspaceContext(input);
    for (const range of ranges) {
      const content = await input.workspace.readFile(range.path);
      if (content === undefined) continue;
      const text = content
        .split('\n')
        .slice(range.startLine - 1, range.endLine)
        .join('\n');
      const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
      const id = `${range.path}:${range.startLine}-${range.endLine}#${hash}`;
      const chunk = { ...range, id, kind: 'function' as const, language: 'typescript', text, context: '' };
      sections.push({
        title: `${range.path}:${range.startLine}-${range.endLine}`,
        text: renderChunkForPrompt(chunk),
        chunkId: id,
      });
    }
    return sections;
  };
}

function retrievingRuntime(options: { store?: InMemoryJournalStore; workspaces?: InMemoryWorkspaceProvider } = {}) {
  const runtime = testRuntime({ files, ...options });
  runtime.contextProvider = fakeRetrieval();
  return runtime;
}

async function messagesOf(runtime: ReturnType<typeof testRuntime>, runId: string): Promise<MessageData[]> {
  const events = await runtime.store.read(runId);
  return events.flatMap((event) => (event.type === 'message' ? [event.data as MessageData] : []));
}

describe('retrieve-then-prompt with cited chunks', () => {
  it('every role sees the chunks with ids and line numbers; the Builder cites the code it changes and the policy', async () => {
    const runtime = retrievingRuntime();
    const result = await startRun(runtime, { task, repo: '/repo', roles: roles(), limits: defaultLimits });
    expect(result.status).toBe('converged');
    const prompts = runtime.models.map((model) => model.calls[0]?.request.messages[0]?.content ?? '');
    expect(prompts).toHaveLength(3);
    for (const prompt of prompts) expect(prompt).toContain('<chunk id="src/auth.ts:8-11#');
    // Before the edits (Architect, Builder) the chunk shows the file's lines numbered as in the file.
    for (const prompt of prompts.slice(0, 2)) {
      expect(prompt).toContain(' 9│ export function verifyLogin(storedHash: string, attempt: string): boolean {');
    }
    const builder = (await messagesOf(runtime, result.runId)).find((data) => data.message.kind === 'implement')!;
    const cited = builder.message.evidence.flatMap((evidence) => (evidence.kind === 'chunk' ? [evidence] : []));
    expect(cited.map(({ chunkId, startLine, endLine }) => [chunkId.split('#')[0], startLine, endLine])).toEqual([
      ['src/auth.ts:3-6', 3, 6],
      ['src/auth.ts:8-11', 8, 11],
      ['docs/security-policy.md:1-5', 3, 5],
    ]);
    expect(cited.every((evidence) => builder.retrievedChunkIds?.includes(evidence.chunkId))).toBe(true);
    expect(builder.invalidCitations).toBeUndefined();
    expect(result.diff).toContain('+  return expected.length === actual.length && timingSafeEqual(expected, actual);');
  });

  it('an invented citation is a protocol error: the Builder is re-asked once with it, and the fix converges', async () => {
    const runtime = retrievingRuntime();
    const result = await startRun(runtime, {
      task,
      repo: '/repo',
      roles: roles({ builder: 'scripted-v1+invented-citation' }),
      limits: defaultLimits,
    });
    expect(result.status).toBe('converged');
    const builderModel = runtime.models.find((model) => model.faults.has('invented-citation'))!;
    expect(builderModel.calls).toHaveLength(2);
    expect(builderModel.calls[1]!.request.messages.at(-1)!.content).toContain(
      'Chunk src/auth.ts:1-400#0123456789ab was not retrieved for this turn',
    );
    const builder = (await messagesOf(runtime, result.runId)).find((data) => data.message.kind === 'implement')!;
    expect(builder.repairedCitations).toMatchObject([
      { citation: { chunkId: 'src/auth.ts:1-400#0123456789ab' }, reason: 'not-retrieved' },
    ]);
    expect(builder.invalidCitations).toBeUndefined();
  });

  it('an invented citation that stands is journaled, shown to the Critic, and the run never converges on it', async () => {
    const runtime = retrievingRuntime();
    const result = await startRun(runtime, {
      task,
      repo: '/repo',
      roles: roles({ builder: 'scripted-v1+invented-citation-always' }),
      limits: defaultLimits,
    });
    expect(result.status).toBe('paused');
    const messages = await messagesOf(runtime, result.runId);
    const builder = messages.find((data) => data.message.kind === 'implement')!;
    expect(builder.invalidCitations).toMatchObject([{ reason: 'not-retrieved' }]);
    const turns = projectRun(result.runId, await runtime.store.read(result.runId)).turns;
    expect(turns.find((turn) => turn.kind === 'implement')?.problem).toContain('chunk citations do not hold');
    const critic = runtime.models.find((model) => model.calls.some((call) => call.request.output?.name === 'verify'))!;
    const verifyPrompt = critic.calls.find((call) => call.request.output?.name === 'verify')!.request.messages[0]!;
    expect(verifyPrompt.content).toMatch(/cannot converge: its chunk citations do not hold \(src\/auth\.ts:1-400#/);
    expect(messages.find((data) => data.message.kind === 'verify')?.message).toMatchObject({ verdict: 'revise' });
  });

  it('lines outside the cited chunk are rejected like an invented id', async () => {
    const runtime = retrievingRuntime();
    runtime.contextProvider = async (input) => {
      const sections = await fakeRetrieval()(input);
      // The chunk's id claims lines 8-9 only, so the Builder's citation of lines 8-11 falls outside it.
      return sections.map((section) =>
        section.chunkId?.startsWith('src/auth.ts:8-11#') === true
          ? { ...section, chunkId: section.chunkId.replace('8-11', '8-9'), text: section.text.replace('8-11', '8-9') }
          : section,
      );
    };
    const result = await startRun(runtime, { task, repo: '/repo', roles: roles(), limits: defaultLimits });
    const builder = (await messagesOf(runtime, result.runId)).find((data) => data.message.kind === 'implement')!;
    expect(builder.invalidCitations?.map((entry) => entry.reason)).toEqual(['lines-outside-chunk']);
    expect(result.status).not.toBe('converged');
  });

  it('a crash after the message is journaled keeps its invalid citations on resume', async () => {
    const store = new InMemoryJournalStore();
    const workspaces = new InMemoryWorkspaceProvider(files);
    const input = {
      task,
      repo: '/repo',
      roles: roles({ builder: 'scripted-v1+invented-citation-always' }),
      limits: { ...defaultLimits, maxTurns: 3 },
      runId: 'r-citations',
    };
    const crashing = retrievingRuntime({ store, workspaces });
    crashing.onCheckpoint = (checkpoint) => {
      if (checkpoint.kind === 'edits-applied') throw new Error('simulated crash');
    };
    await expect(startRun(crashing, input)).rejects.toThrow('simulated crash');
    expect(projectRun(input.runId, await store.read(input.runId)).openTurn?.invalidCitations).toHaveLength(1);
    await resumeRun(retrievingRuntime({ store, workspaces }), input.runId);
    const turns = projectRun(input.runId, await store.read(input.runId)).turns;
    expect(turns.find((turn) => turn.kind === 'implement')?.problem).toContain('chunk citations do not hold');
  });
});
