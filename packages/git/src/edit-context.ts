import type { ApplyStrategy, EditFailure } from '@orchestrator/spec';
import type { EditOverlay, FileState } from './edit-overlay.ts';
import type { MatchStrategy } from './hunk-application.ts';
import { guardPath } from './path-guard.ts';

/** What applying one edit to the overlay produced: where and how it applied, or why it did not. */
export type EditStepResult =
  | { ok: true; applied: Array<{ path: string; strategy: ApplyStrategy }> }
  | { ok: false; failures: Array<Omit<EditFailure, 'editIndex'>> };

/** Context shared by the per-edit appliers. */
export interface EditContext {
  root: string;
  overlay: EditOverlay;
  maxStrategy: MatchStrategy;
}

const strategyRank: Record<ApplyStrategy, number> = {
  create: 0,
  delete: 0,
  rename: 0,
  exact: 1,
  'whitespace-tolerant': 2,
  'anchored-fuzzy': 3,
};

/** The loosest of several strategies (what the report shows for a file several hunks touched). */
export function loosestStrategy(strategies: readonly ApplyStrategy[], fallback: ApplyStrategy): ApplyStrategy {
  return strategies.reduce(
    (loosest, strategy) => (strategyRank[strategy] > strategyRank[loosest] ? strategy : loosest),
    fallback,
  );
}

export type Located = { ok: true; canonicalPath: string; absolutePath: string; state: FileState; isSymlink: boolean };

/** Guards a path and reads its overlay state; refuses directories. */
export async function locate(
  context: EditContext,
  requested: string,
): Promise<Located | { ok: false; failure: Omit<EditFailure, 'editIndex'> }> {
  const check = await guardPath(context.root, requested);
  if (!check.ok) return { ok: false, failure: { path: requested, reason: check.reason, message: check.message } };
  if (check.existing === 'directory') {
    return {
      ok: false,
      failure: { path: requested, reason: 'forbidden-path', message: `"${requested}" is a directory` },
    };
  }
  const state = await context.overlay.read(check.canonicalPath, check.absolutePath);
  return {
    ok: true,
    canonicalPath: check.canonicalPath,
    absolutePath: check.absolutePath,
    state,
    isSymlink: check.isSymlink,
  };
}
