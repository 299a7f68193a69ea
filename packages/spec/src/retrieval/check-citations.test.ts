import { describe, expect, it } from 'vitest';
import { checkCitations } from './check-citations.ts';
import { formatChunkId, parseChunkId } from './parse-chunk-id.ts';
import { renderChunkForPrompt } from './render-chunk-for-prompt.ts';

const authChunk = 'src/auth.ts:10-24#a1b2c3d4e5f6';
const policyChunk = 'docs/security-policy.md:1-40#0123456789ab';

describe('checkCitations', () => {
  it('accepts citations of retrieved chunks, with or without line ranges inside the chunk', () => {
    const invalid = checkCitations(
      [{ chunkId: authChunk, startLine: 12, endLine: 20 }, { chunkId: policyChunk }],
      [authChunk, policyChunk],
    );
    expect(invalid).toEqual([]);
  });

  it('rejects an invented chunk id that looks valid but was never retrieved', () => {
    const invented = 'src/auth.ts:1-9#ffffffffffff';
    const invalid = checkCitations([{ chunkId: invented }, { chunkId: authChunk }], [authChunk]);
    expect(invalid.map((entry) => [entry.citation.chunkId, entry.reason])).toEqual([[invented, 'not-retrieved']]);
    expect(invalid[0]?.message).toContain('was not retrieved');
  });

  it('rejects lines outside the chunk and reversed ranges', () => {
    const invalid = checkCitations(
      [
        { chunkId: authChunk, startLine: 5, endLine: 12 },
        { chunkId: authChunk, startLine: 20, endLine: 25 },
        { chunkId: authChunk, startLine: 15, endLine: 14 },
      ],
      [authChunk],
    );
    expect(invalid.map((entry) => entry.reason)).toEqual([
      'lines-outside-chunk',
      'lines-outside-chunk',
      'lines-outside-chunk',
    ]);
  });

  it('rejects ids that are not chunk ids, even if the retrieved list contains the same string', () => {
    const invalid = checkCitations([{ chunkId: 'src/auth.ts' }], ['src/auth.ts']);
    expect(invalid[0]?.reason).toBe('malformed-id');
  });
});

describe('chunk ids', () => {
  it('round-trip through format and parse, including paths with colons', () => {
    const parts = { path: 'weird:dir/file.ts', startLine: 3, endLine: 7, hash: 'abcdef012345' };
    expect(parseChunkId(formatChunkId(parts))).toEqual(parts);
    expect(parseChunkId('src/a.ts:9-3#abcdef012345')).toBeUndefined();
  });
});

describe('renderChunkForPrompt', () => {
  it('names the chunk id and numbers the lines as in the file, after the enclosing context', () => {
    const rendered = renderChunkForPrompt({
      id: 'src/auth.ts:9-11#a1b2c3d4e5f6',
      path: 'src/auth.ts',
      startLine: 9,
      endLine: 11,
      kind: 'method',
      symbol: 'AuthService.verify',
      language: 'typescript',
      text: '  verify(token: string) {\n    return true;\n  }',
      context: 'export class AuthService {',
    });
    expect(rendered).toBe(
      [
        '<chunk id="src/auth.ts:9-11#a1b2c3d4e5f6" path="src/auth.ts" lines="9-11" symbol="AuthService.verify">',
        '  ┆ export class AuthService {',
        ' 9│   verify(token: string) {',
        '10│     return true;',
        '11│   }',
        '</chunk>',
      ].join('\n'),
    );
  });
});
