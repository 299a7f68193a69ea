import { type ModelRequest, parseProtocolMessage, renderChunkForPrompt } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { parseScriptedPrompt } from './parse-scripted-prompt.ts';
import { ScriptedModel } from './scripted-model.ts';

const auth = [
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
].join('\n');
const policy = '# Security policy\n\n## Passwords\n\nPasswords are hashed with scrypt and a per-user salt.\n';

function chunk(path: string, content: string, startLine: number, endLine: number, symbol: string, hash: string) {
  const text = content
    .split('\n')
    .slice(startLine - 1, endLine)
    .join('\n');
  const id = `${path}:${startLine}-${endLine}#${hash}`;
  const rendered = renderChunkForPrompt({
    id,
    path,
    startLine,
    endLine,
    symbol,
    kind: 'function',
    language: 'typescript',
    text,
    context: '',
  });
  return `#### ${path}:${startLine}-${endLine} ${symbol} (chunk ${id})\n${rendered}`;
}

const sessions = chunk(
  'docs/security-policy.md',
  `${policy}\n## Sessions\n\nThey expire.\n`,
  7,
  9,
  'Sessions',
  'cccccccccccc',
);
const prompt = [
  '## Task\nupdate src/auth.ts per policy',
  '## Repository context',
  '#### Repository files\nsrc/auth.ts\ndocs/security-policy.md',
  `<file path="src/auth.ts">\n${auth}\n</file>`,
  chunk('src/auth.ts', auth, 8, 11, 'verifyLogin', 'aaaaaaaaaaaa'),
  chunk('docs/security-policy.md', policy, 1, 5, 'Passwords', 'bbbbbbbbbbbb'),
  sessions,
  chunk('src/server.ts', 'export const port = 8080;\n', 1, 1, 'port', 'dddddddddddd'),
].join('\n\n');

function request(body: string, repair = false): ModelRequest {
  return {
    system: [{ text: 'brief' }],
    messages: [
      { role: 'user', content: body },
      ...(repair
        ? [
            { role: 'assistant' as const, content: 'bad' },
            { role: 'user' as const, content: 'Your previous reply was not a valid message' },
          ]
        : []),
    ],
    maxOutputTokens: 1000,
    output: { name: 'implement', schema: {} },
    context: { role: 'builder', task: 'update src/auth.ts per policy' },
  };
}

async function builderEvidence(model: ScriptedModel, repair = false) {
  const parsed = parseProtocolMessage('implement', await model.generate(request(prompt, repair)));
  if (!parsed.success) throw new Error(parsed.error);
  return parsed.message.evidence;
}

describe('the scripted Builder and retrieved chunks', () => {
  it('reads the chunks of the prompt: ids, paths, line ranges and unnumbered lines', () => {
    const seen = parseScriptedPrompt(request(prompt));
    expect(seen.chunks.map((entry) => [entry.id, entry.startLine, entry.endLine, entry.symbol])).toEqual([
      ['src/auth.ts:8-11#aaaaaaaaaaaa', 8, 11, 'verifyLogin'],
      ['docs/security-policy.md:1-5#bbbbbbbbbbbb', 1, 5, 'Passwords'],
      ['docs/security-policy.md:7-9#cccccccccccc', 7, 9, 'Sessions'],
      ['src/server.ts:1-1#dddddddddddd', 1, 1, 'port'],
    ]);
    expect(seen.chunks[0]?.lines[1]).toBe(
      'export function verifyLogin(storedHash: string, attempt: string): boolean {',
    );
  });

  it('cites the chunks of the code it edits and the policy lines it follows, not the unrelated ones', async () => {
    expect(await builderEvidence(new ScriptedModel())).toEqual([
      {
        kind: 'chunk',
        chunkId: 'src/auth.ts:8-11#aaaaaaaaaaaa',
        startLine: 8,
        endLine: 11,
        note: 'The code changed: verifyLogin in src/auth.ts.',
      },
      {
        kind: 'chunk',
        chunkId: 'docs/security-policy.md:1-5#bbbbbbbbbbbb',
        startLine: 3,
        endLine: 5,
        note: 'The rule the change follows: Passwords in docs/security-policy.md.',
      },
    ]);
  });

  it('invented-citation cites an id that was not retrieved on the first reply only; -always on every reply', async () => {
    const once = new ScriptedModel({ faults: ['invented-citation'] });
    expect((await builderEvidence(once))[0]).toMatchObject({ chunkId: 'src/auth.ts:1-400#0123456789ab' });
    expect(
      (await builderEvidence(once, true)).map((evidence) => evidence.kind === 'chunk' && evidence.chunkId),
    ).not.toContain('src/auth.ts:1-400#0123456789ab');
    const always = new ScriptedModel({ faults: ['invented-citation-always'] });
    expect((await builderEvidence(always, true))[0]).toMatchObject({ chunkId: 'src/auth.ts:1-400#0123456789ab' });
  });

  it('without chunks in the prompt the Builder cites nothing (runs without retrieval are unchanged)', async () => {
    const withoutChunks = prompt.split('\n\n#### src/auth.ts:8-11')[0] ?? '';
    const parsed = parseProtocolMessage('implement', await new ScriptedModel().generate(request(withoutChunks)));
    expect(parsed.success && parsed.message.evidence).toEqual([]);
  });
});
