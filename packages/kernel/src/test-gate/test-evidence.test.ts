import type { TestRunData } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import type { RunJournal } from '../journal/run-journal.ts';
import type { CompletedTurn } from '../journal/run-projection.ts';
import { testEvidenceFor } from './test-evidence.ts';

const failing: TestRunData = {
  phase: 'check',
  command: 'npm test',
  exitCode: 1,
  summary: 'failed (no counts parsed)',
  durationMs: 12,
  outputSha256: 'f'.repeat(64),
  outputTail: 'Error: the database is unreachable',
};
const implementation = { turn: 2, message: { kind: 'implement' }, testRuns: [failing] } as unknown as CompletedTurn;

function journalWith(blob: string | undefined): RunJournal {
  return { getBlob: async () => blob } as unknown as RunJournal;
}

describe('the test evidence of the next prompt', () => {
  it('shows a failing run with its command, exit code and output', async () => {
    const evidence = (
      await testEvidenceFor(journalWith('$ npm test\nTypeError: x is undefined'), [implementation], 'verify')
    ).join('\n');
    expect(evidence).toContain('`npm test` · exit 1');
    expect(evidence).toContain('TypeError: x is undefined');
  });

  it('falls back on the journaled last lines when the output blob is gone', async () => {
    const evidence = (await testEvidenceFor(journalWith(undefined), [implementation], 'implement')).join('\n');
    expect(evidence).toContain('`npm test` · exit 1');
    expect(evidence).toContain('Error: the database is unreachable');
  });
});
