import type { FileEdit, RunTests, TestTools } from '@orchestrator/spec';
import type { CompletedTurn } from '../journal/run-projection.ts';
import { isTesting, testEditsOf } from '../test-gate/run-tests.ts';
import { touchedPaths } from './edit-pre-image.ts';

/**
 * The paths the model's applied edits touched over the whole run: the Builder's implementations and the Test-writer's
 * acceptance tests (its rendered spec and direct edits). Only these may go into the commit; anything else that changed
 * in the worktree was left there by something else (a test run) and is not the model's change.
 */
export function modelEditedPaths(
  turns: readonly CompletedTurn[],
  tools: TestTools | undefined,
  tests: RunTests | undefined,
): string[] {
  const paths = new Set<string>();
  for (const turn of turns) {
    if (turn.patch?.ok !== true || turn.message === undefined) continue;
    const message = turn.message;
    let edits: FileEdit[] = [];
    if (message.kind === 'implement') edits = message.edits as FileEdit[];
    else if (message.kind === 'test') edits = testTurnEdits(message, tools, tests);
    for (const path of touchedPaths(edits)) paths.add(normalizedPath(path));
  }
  return [...paths].sort();
}

function testTurnEdits(
  message: Extract<NonNullable<CompletedTurn['message']>, { kind: 'test' }>,
  tools: TestTools | undefined,
  tests: RunTests | undefined,
): FileEdit[] {
  try {
    if (tools !== undefined && isTesting(tests)) return testEditsOf(message, tools, tests);
  } catch {
    // An acceptance spec that cannot be rendered applied nothing of its own.
  }
  return message.edits as FileEdit[];
}

/** `./src//a/../b.js` → `src/b.js`: the form git lists paths in. */
export function normalizedPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
