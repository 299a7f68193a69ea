import type { TestRunData } from '@orchestrator/spec';
import type { RunJournal } from '../journal/run-journal.ts';
import type { CompletedTurn } from '../journal/run-projection.ts';
import { stableTestOutput } from './stable-test-output.ts';
import { latestTestRun, validRedTurn } from './test-first.ts';

/** Heading of a test run in the prompt's `## Test results`; the scripted model parses this format. */
export function testRunHeading(run: TestRunData, turn: number): string {
  const verdict =
    run.verdict === undefined ? '' : ` · ${run.verdict.expectedReason ? 'valid' : 'invalid'} red: ${run.verdict.kind}`;
  return `### ${run.phase} · turn ${turn} · \`${run.command}\` · exit ${run.exitCode}${verdict}`;
}

async function render(journal: RunJournal, turn: CompletedTurn, withOutput: boolean): Promise<string[]> {
  const run = latestTestRun(turn);
  if (run === undefined) return [];
  const lines = [testRunHeading(run, turn.turn), run.summary];
  if (withOutput && run.outputSha256 !== undefined) {
    const output = await journal.getBlob(run.outputSha256);
    if (output !== undefined) lines.push(`\`\`\`text\n${stableTestOutput(output)}\n\`\`\``);
    else if (run.outputTail !== undefined)
      lines.push(`Last lines of the output:\n\`\`\`text\n${run.outputTail}\n\`\`\``);
  }
  return [lines.join('\n')];
}

/**
 * The test evidence a turn is shown (rendered under `## Test results`): the Critic gets the latest implementation's run
 * with its output; the Builder the acceptance test's red run and the output of its own failing run; the Test-writer
 * the output of its previous, invalid red run.
 */
export async function testEvidenceFor(
  journal: RunJournal,
  turns: readonly CompletedTurn[],
  kind: string,
): Promise<string[]> {
  const implementation = turns.findLast((turn) => turn.message?.kind === 'implement' && turn.testRuns !== undefined);
  const red = validRedTurn(turns);
  switch (kind) {
    case 'verify':
      return [
        ...(red === undefined ? [] : await render(journal, red, false)),
        ...(implementation === undefined ? [] : await render(journal, implementation, true)),
      ];
    case 'implement': {
      const failing = latestTestRun(implementation)?.exitCode !== 0 ? implementation : undefined;
      return [
        ...(red === undefined ? [] : await render(journal, red, failing === undefined)),
        ...(failing === undefined ? [] : await render(journal, failing, true)),
      ];
    }
    case 'test': {
      const previous = turns.at(-1);
      return previous?.message?.kind === 'test' ? await render(journal, previous, true) : [];
    }
    default:
      return [];
  }
}
