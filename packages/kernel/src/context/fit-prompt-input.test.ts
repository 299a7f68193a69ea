import { type ProtocolMessage, protocolVersion } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { buildPrompt, type PromptInput } from '../prompt/build-prompt.ts';
import { fitPromptInput } from './fit-prompt-input.ts';
import { conservativeTokenEstimate } from './token-estimate.ts';

function proposal(turn: number, filler: string): ProtocolMessage {
  return {
    specificationVersion: protocolVersion,
    kind: 'propose',
    summary: `Plan ${turn}: add the README section`,
    claims: [],
    evidence: [],
    risks: [],
    resolvedRisks: [],
    plan: [`Step of turn ${turn}: ${filler}`],
    files: ['README.md'],
  } as ProtocolMessage;
}

const line = (label: string) => `${label} ${'lorem ipsum dolor sit amet '.repeat(3)}\n`;

function input(overrides: Partial<PromptInput> = {}): PromptInput {
  return {
    task: 'add a README section',
    role: 'builder',
    kind: 'implement',
    turn: 7,
    conversation: [1, 2, 3, 4, 5, 6].map((turn) => ({
      turn,
      role: 'architect',
      message: proposal(turn, line('detail').repeat(20)),
    })),
    context: [
      { title: 'README.md', path: 'README.md', text: line('readme').repeat(40) },
      { title: 'src/index.js', path: 'src/index.js', text: line('code').repeat(200) },
    ],
    diff: '--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # Demo\n+## Usage\n',
    notes: ['The previous edits did not apply.'],
    tests: ['### green · turn 5 · `npm test` · exit 0\n2 passed'],
    maxOutputTokens: 1024,
    runId: 'r-1',
    stepId: 'turn-7',
    ...overrides,
  };
}

/** Tokens of the request as the packer counts them, plus the output cap. */
function promptTokens(fitted: PromptInput): number {
  const request = buildPrompt(fitted);
  const text = [
    ...request.system.map((part) => part.text),
    ...request.messages.map((message) => String(message.content)),
    JSON.stringify(request.output?.schema),
  ];
  return text.reduce((sum, part) => sum + conservativeTokenEstimate(part), 0) + fitted.maxOutputTokens;
}

describe('fitPromptInput', () => {
  it('returns a prompt that fits unchanged, the same object, with nothing dropped', () => {
    const original = input();
    const fitted = fitPromptInput(original, { contextWindow: 200_000 });
    expect(fitted.input).toBe(original);
    expect(fitted.dropped).toEqual([]);
    expect(fitPromptInput(original, {}).input).toBe(original);
  });

  it('under a step token ceiling, cuts code and older turns first and keeps task, notes, diff and tests', () => {
    const original = input();
    const ceiling = 9_000;
    expect(promptTokens(original)).toBeGreaterThan(ceiling);
    const fitted = fitPromptInput(original, { contextWindow: 200_000, stepTokenCeiling: ceiling });
    expect(promptTokens(fitted.input)).toBeLessThanOrEqual(ceiling);
    expect(fitted.input.task).toBe(original.task);
    expect(fitted.input.diff).toBe(original.diff);
    expect(fitted.input.tests).toEqual(original.tests);
    expect(fitted.input.notes[0]).toBe('The previous edits did not apply.');
    // The code was shortened or left out, and each cut is recorded for the journal.
    const code = fitted.input.context.map((section) => section.text).join('');
    expect(code.length).toBeLessThan(original.context.map((section) => section.text).join('').length);
    expect(fitted.dropped.some((drop) => drop.id.startsWith('context:'))).toBe(true);
    // The newest turns are kept verbatim; the oldest ones that did not fit are named in a note.
    const keptTurns = fitted.input.conversation.map((entry) => entry.turn);
    expect(keptTurns.slice(-2)).toEqual([5, 6]);
    expect(keptTurns.length).toBeLessThan(6);
    expect(fitted.input.notes.at(-1)).toContain('left out to fit the context');
    expect(fitted.dropped.some((drop) => drop.id === 'turn:1')).toBe(true);
  });

  it('fits the smaller of the context window and the step ceiling, leaving room for the output cap', () => {
    const fitted = fitPromptInput(input(), { contextWindow: 6_000, stepTokenCeiling: 50_000 });
    expect(promptTokens(fitted.input)).toBeLessThanOrEqual(6_000);
    expect(fitted.usedTokens).toBeLessThanOrEqual(fitted.availableTokens);
  });
});
