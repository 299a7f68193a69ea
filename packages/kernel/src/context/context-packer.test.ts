import { describe, expect, it } from 'vitest';
import { type ContextPackInput, packContext, renderPackedContext, truncateToTokens } from './context-packer.ts';
import { conservativeTokenEstimate } from './token-estimate.ts';

/** One token per word: easy to reason about in assertions. */
const words = (text: string) => (text.trim() === '' ? 0 : text.trim().split(/\s+/).length);
const lorem = (count: number, word = 'word') => Array.from({ length: count }, () => word).join(' ');

const input: ContextPackInput = {
  task: 'Add a /health endpoint returning 200',
  openRisks: [{ id: 'risk-1', text: 'The router has no test for unknown paths' }],
  projectNotes: [{ key: 'test-command', text: 'Tests run with npm test' }],
  citedCode: [
    { id: 'src/server.ts#1-40', text: lorem(100, 'code') },
    { id: 'src/routes.ts#1-20', text: lorem(60, 'route') },
  ],
  turns: Array.from({ length: 8 }, (_, index) => ({
    turn: index + 1,
    role: index % 2 === 0 ? 'architect' : 'builder',
    text: lorem(50, `t${index + 1}`),
    summary: `summary of turn ${index + 1}`,
  })),
};

describe('packContext', () => {
  it('keeps everything that fits: recent turns verbatim, older turns as summaries, in presentation order', () => {
    const packed = packContext(input, { contextWindow: 10_000, maxOutputTokens: 1_000 }, words);
    expect(packed.sections.map((section) => section.kind)).toEqual([
      'task',
      'note',
      'risk',
      'summary',
      'summary',
      'summary',
      'summary',
      'turn',
      'turn',
      'turn',
      'turn',
      'code',
      'code',
    ]);
    expect(packed.sections.filter((section) => section.kind === 'turn').map((section) => section.id)).toEqual([
      'turn:5',
      'turn:6',
      'turn:7',
      'turn:8',
    ]);
    expect(packed.dropped.every((drop) => drop.action === 'summarized')).toBe(true);
    expect(packed.dropped).toHaveLength(4);
  });

  it('never exceeds the step ceiling; the task, risks and notes win over code and turns, and drops are recorded', () => {
    const limits = { contextWindow: 200_000, stepTokenCeiling: 1_150, maxOutputTokens: 1_000, minimumPieceTokens: 16 };
    const packed = packContext(input, limits, words);
    expect(packed.availableTokens).toBe(150);
    expect(packed.usedTokens).toBeLessThanOrEqual(150);
    expect(packed.sections.reduce((sum, section) => sum + words(section.text), 0)).toBe(packed.usedTokens);
    expect(packed.sections.slice(0, 3).map((section) => section.kind)).toEqual(['task', 'note', 'risk']);
    // The first code chunk (100 tokens) fits whole; the second is cut to what is left.
    expect(packed.sections.find((section) => section.id === 'src/server.ts#1-40')?.tokens).toBe(100);
    expect(packed.dropped).toContainEqual(
      expect.objectContaining({ id: 'src/routes.ts#1-20', action: 'truncated', originalTokens: 60 }),
    );
    expect(packed.dropped).toContainEqual(expect.objectContaining({ id: 'turn:8', action: 'dropped' }));
  });

  it('falls back from a verbatim recent turn to its summary when only the summary fits', () => {
    const packed = packContext(
      { ...input, citedCode: [], openRisks: [], projectNotes: [] },
      { contextWindow: 100_000, stepTokenCeiling: 1_070, maxOutputTokens: 1_000, recentTurns: 2 },
      words,
    );
    expect(packed.sections.find((section) => section.id === 'turn:8')?.kind).toBe('turn');
    expect(packed.dropped).toContainEqual(
      expect.objectContaining({ id: 'turn:7', kind: 'turn', action: 'summarized', keptTokens: 4 }),
    );
  });

  it('is deterministic, and truncation respects any counter', () => {
    const limits = { contextWindow: 2_000, maxOutputTokens: 1_200, fixedTokens: 300 };
    const first = packContext(input, limits);
    expect(packContext(input, limits)).toEqual(first);
    expect(first.usedTokens).toBeLessThanOrEqual(500);
    const cut = truncateToTokens(lorem(500), 40, conservativeTokenEstimate);
    expect(conservativeTokenEstimate(cut)).toBeLessThanOrEqual(40);
    expect(cut.endsWith('[truncated]')).toBe(true);
    expect(renderPackedContext(first).startsWith('## Task\n\nAdd a /health endpoint')).toBe(true);
  });

  it('with no room at all, keeps nothing and says so', () => {
    const packed = packContext(input, { contextWindow: 1_000, maxOutputTokens: 1_000 }, words);
    expect(packed.sections).toEqual([]);
    expect(packed.dropped.find((drop) => drop.id === 'task')).toMatchObject({ action: 'dropped' });
  });
});
