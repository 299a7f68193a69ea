import { describe, expect, it } from 'vitest';
import { parseProtocolMessage, protocolMessageJsonSchema } from './parse-protocol-message.ts';
import { protocolMessageSchema } from './protocol-message.ts';

const implement = {
  specificationVersion: 'v1',
  kind: 'implement',
  summary: 'Add the usage section.',
  edits: [{ kind: 'search-replace', path: 'README.md', search: 'a', replace: 'b' }],
  risks: [{ id: 'R1', severity: 'high', description: 'Breaks the build.', fix: 'Pin the version in package.json.' }],
  evidence: [
    { kind: 'file', path: 'README.md', startLine: 1, endLine: 3 },
    { kind: 'chunk', chunkId: 'src/a.ts#12' },
    { kind: 'test-output', command: 'npm test', exitCode: 1, excerpt: '1 failing' },
  ],
};

describe('the debate protocol v1', () => {
  it('accepts a full implement message and fills defaults for omitted arrays', () => {
    const parsed = parseProtocolMessage('implement', { text: JSON.stringify(implement) });
    expect(parsed.success).toBe(true);
    if (parsed.success)
      expect(parsed.message).toMatchObject({ claims: [], resolvedRisks: [], risks: [{ severity: 'high' }] });
  });

  it('reads a reply fenced as ```json and prefers the structured object when given', () => {
    expect(
      parseProtocolMessage('implement', { text: `\`\`\`json\n${JSON.stringify(implement)}\n\`\`\`` }).success,
    ).toBe(true);
    expect(parseProtocolMessage('implement', { text: 'ignored', object: implement }).success).toBe(true);
  });

  it('classifies malformed replies: not JSON, not an object, wrong schema, wrong kind, wrong version', () => {
    expect(parseProtocolMessage('implement', { text: 'Sure! {"kind":' })).toMatchObject({
      success: false,
      reason: 'not-json',
    });
    expect(parseProtocolMessage('implement', { text: '[1]' })).toMatchObject({ success: false, reason: 'not-json' });
    const missing = parseProtocolMessage('implement', { text: JSON.stringify({ ...implement, edits: undefined }) });
    expect(missing).toMatchObject({ success: false, reason: 'wrong-schema' });
    if (!missing.success) expect(missing.error).toContain('→ at edits');
    expect(parseProtocolMessage('verify', { text: JSON.stringify(implement) })).toMatchObject({
      reason: 'wrong-schema',
    });
    expect(
      parseProtocolMessage('implement', { text: JSON.stringify({ ...implement, specificationVersion: 'v0' }) }),
    ).toMatchObject({
      reason: 'wrong-schema',
    });
  });

  it('requires a concrete fix and a known severity on every risk', () => {
    const vague = { ...implement, risks: [{ id: 'R1', severity: 'severe', description: 'Bad.', fix: '' }] };
    const parsed = parseProtocolMessage('implement', { text: JSON.stringify(vague) });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error).toMatch(/risks\[0\]\.severity[\s\S]*risks\[0\]\.fix|risks\.0/);
  });

  it('requires rubric scores from 1 to 5 and a verdict on critique and verify', () => {
    const critique = {
      specificationVersion: 'v1',
      kind: 'critique',
      summary: 'ok',
      targetTurn: 1,
      rubric: { correctness: 5, completeness: 4, risk: 3, testCoverage: 2, scope: 1 },
      verdict: 'accept',
    };
    expect(protocolMessageSchema.safeParse(critique).success).toBe(true);
    expect(protocolMessageSchema.safeParse({ ...critique, rubric: { ...critique.rubric, scope: 6 } }).success).toBe(
      false,
    );
    expect(protocolMessageSchema.safeParse({ ...critique, verdict: 'maybe' }).success).toBe(false);
  });

  it('publishes a JSON Schema per kind for structured output', () => {
    const schema = protocolMessageJsonSchema('verify') as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['rubric', 'verdict', 'checks', 'risks', 'evidence']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['kind', 'specificationVersion', 'rubric', 'verdict']));
  });
});
