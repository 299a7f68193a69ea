import { realpath, stat } from 'node:fs/promises';
import type { ApplyResult, ApplyStrategy, EditFailure, FileEdit } from '@orchestrator/spec';
import { UserError } from '@orchestrator/spec';
import { z } from 'zod';
import { type EditSizeLimits, editSizeLimitsOf, oversizeEdits, oversizeFiles } from './apply-size-limits.ts';
import { type EditContext, type EditStepResult, locate } from './edit-context.ts';
import { EditOverlay } from './edit-overlay.ts';
import { fileEditSchema } from './file-edit-schema.ts';
import { applyFilePatch } from './file-patch-application.ts';
import type { MatchStrategy } from './hunk-application.ts';
import { applySearchReplace } from './search-replace.ts';
import { parseUnifiedDiff } from './unified-diff.ts';

/** Options of `applyEdits`. */
export interface ApplyEditsOptions {
  /** The loosest line-matching strategy allowed (default `anchored-fuzzy`); the benchmark uses it to compare them. */
  maxStrategy?: MatchStrategy;
  /** Size bounds per edit, per written file and per batch (defaults: 1 MiB, 1 MiB, 5 MiB). */
  limits?: Partial<EditSizeLimits>;
}

/**
 * Applies a batch of edits to the worktree at `root`: search/replace blocks and unified diffs (exact, then
 * whitespace-tolerant, then anchored fuzzy matching), file creation, deletion and renaming. CRLF/LF and the final
 * newline of each file are preserved. All edits apply, or nothing is written; failures say which edit and hunk, the
 * first diverging line and the closest match, for the Builder to retry. Paths outside the worktree, in `.git/`,
 * through symbolic links pointing out, and devices are refused. Edits, files and batches over the size bounds are refused
 (`too-large`) before anything is written.
 */
export async function applyEdits(
  root: string,
  edits: readonly FileEdit[],
  options: ApplyEditsOptions = {},
): Promise<ApplyResult> {
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined || !(await stat(realRoot)).isDirectory()) {
    throw new UserError({
      code: 'worktree-missing',
      message: `the worktree ${root} does not exist`,
      hint: 'Open the workspace again (GitWorkspaceProvider.open) before applying edits.',
    });
  }
  const limits = editSizeLimitsOf(options.limits);
  const oversize = oversizeEdits(edits, limits);
  if (oversize.length > 0) return { ok: false, failures: oversize };
  const context: EditContext = {
    root: realRoot,
    overlay: new EditOverlay(),
    maxStrategy: options.maxStrategy ?? 'anchored-fuzzy',
  };
  const applied: Array<{ editIndex: number; path: string; strategy: ApplyStrategy }> = [];
  const failures: EditFailure[] = [];
  for (const [editIndex, rawEdit] of edits.entries()) {
    const parsed = fileEditSchema.safeParse(rawEdit);
    const result: EditStepResult = parsed.success
      ? await applyOne(context, parsed.data)
      : {
          ok: false,
          failures: [{ path: '', reason: 'malformed-diff', message: `invalid edit: ${z.prettifyError(parsed.error)}` }],
        };
    if (result.ok) applied.push(...result.applied.map((entry) => ({ editIndex, ...entry })));
    else failures.push(...result.failures.map((failure) => ({ editIndex, ...failure })));
  }
  if (failures.length > 0) return { ok: false, failures };
  const oversizeResults = oversizeFiles(context.overlay.pendingFiles(), limits);
  if (oversizeResults.length > 0) return { ok: false, failures: oversizeResults };
  await context.overlay.commit();
  return { ok: true, applied };
}

async function applyOne(context: EditContext, edit: FileEdit): Promise<EditStepResult> {
  switch (edit.kind) {
    case 'search-replace':
      return applySearchReplace(context, edit.path, edit.search, edit.replace);
    case 'unified-diff': {
      const parsed = parseUnifiedDiff(edit.diff);
      if (!parsed.ok) return { ok: false, failures: [{ path: '', reason: 'malformed-diff', message: parsed.message }] };
      const applied: Array<{ path: string; strategy: ApplyStrategy }> = [];
      const failures: Array<Omit<EditFailure, 'editIndex'>> = [];
      for (const patch of parsed.patches) {
        const result = await applyFilePatch(context, patch);
        if (result.ok) applied.push(...result.applied);
        else failures.push(...result.failures);
      }
      return failures.length > 0 ? { ok: false, failures } : { ok: true, applied };
    }
    case 'create':
      return createFile(context, edit.path, edit.content, edit.overwrite === true);
    case 'delete':
      return deleteFile(context, edit.path);
    case 'rename':
      return renameFile(context, edit.from, edit.to);
  }
}

async function createFile(
  context: EditContext,
  requested: string,
  content: string,
  overwrite: boolean,
): Promise<EditStepResult> {
  const target = await locate(context, requested);
  if (!target.ok) return { ok: false, failures: [target.failure] };
  if (target.state.kind === 'file' && !overwrite) {
    return {
      ok: false,
      failures: [
        { path: requested, reason: 'file-exists', message: `"${requested}" already exists; set overwrite or edit it` },
      ],
    };
  }
  const mode = target.state.kind === 'file' ? target.state.mode : 0o644;
  context.overlay.write(target.canonicalPath, { kind: 'file', bytes: Buffer.from(content, 'utf8'), mode });
  return { ok: true, applied: [{ path: requested, strategy: 'create' }] };
}

async function deleteFile(context: EditContext, requested: string): Promise<EditStepResult> {
  const target = await locate(context, requested);
  if (!target.ok) return { ok: false, failures: [target.failure] };
  if (target.isSymlink) {
    return {
      ok: false,
      failures: [{ path: requested, reason: 'forbidden-path', message: `"${requested}" is a symbolic link` }],
    };
  }
  if (target.state.kind === 'absent') {
    return {
      ok: false,
      failures: [{ path: requested, reason: 'file-missing', message: `"${requested}" does not exist` }],
    };
  }
  context.overlay.write(target.canonicalPath, { kind: 'absent' });
  return { ok: true, applied: [{ path: requested, strategy: 'delete' }] };
}

async function renameFile(context: EditContext, from: string, to: string): Promise<EditStepResult> {
  const source = await locate(context, from);
  if (!source.ok) return { ok: false, failures: [source.failure] };
  const destination = await locate(context, to);
  if (!destination.ok) return { ok: false, failures: [destination.failure] };
  if (source.isSymlink) {
    return { ok: false, failures: [{ path: from, reason: 'forbidden-path', message: `"${from}" is a symbolic link` }] };
  }
  if (source.state.kind === 'absent') {
    return { ok: false, failures: [{ path: from, reason: 'file-missing', message: `"${from}" does not exist` }] };
  }
  if (destination.state.kind === 'file') {
    return { ok: false, failures: [{ path: to, reason: 'file-exists', message: `"${to}" already exists` }] };
  }
  context.overlay.write(destination.canonicalPath, source.state);
  context.overlay.write(source.canonicalPath, { kind: 'absent' });
  return { ok: true, applied: [{ path: to, strategy: 'rename' }] };
}
