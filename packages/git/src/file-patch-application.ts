import type { ApplyStrategy, EditFailure } from '@orchestrator/spec';
import { type EditContext, type EditStepResult, locate, loosestStrategy } from './edit-context.ts';
import { applyHunk } from './hunk-application.ts';
import { decodeText, encodeText } from './text-content.ts';
import { parseDocument, serializeDocument, type TextDocument } from './text-document.ts';
import type { FilePatch } from './unified-diff.ts';

type Failure = Omit<EditFailure, 'editIndex'>;

function modeFromGit(gitMode: string | undefined, fallback: number): number | Failure {
  if (gitMode === undefined) return fallback;
  if (gitMode === '100755') return 0o755;
  if (gitMode === '100644') return 0o644;
  return {
    path: '',
    reason: 'forbidden-path',
    message: `file mode ${gitMode} (symbolic link or submodule) cannot be created by an edit`,
  };
}

/** Applies the hunks of one file in order, tracking how far earlier hunks moved the later ones. */
function applyHunks(
  context: EditContext,
  path: string,
  document: TextDocument,
  patch: FilePatch,
): { ok: true; document: TextDocument; strategies: ApplyStrategy[] } | { ok: false; failures: Failure[] } {
  let current = document;
  let shift = 0;
  const strategies: ApplyStrategy[] = [];
  const failures: Failure[] = [];
  patch.hunks.forEach((hunk, index) => {
    const declaredStart = hunk.expectedStart ?? 0;
    const declaredOld = hunk.lines.filter((line) => line.kind !== '+').length;
    const outcome = applyHunk(
      current,
      { ...hunk, expectedStart: Math.max(0, declaredStart + shift) },
      context.maxStrategy,
    );
    if (outcome.ok) {
      current = outcome.document;
      shift = outcome.start + outcome.newLength - (declaredStart + declaredOld);
      strategies.push(outcome.strategy);
      return;
    }
    failures.push({
      path,
      reason: outcome.reason,
      message: `hunk ${index + 1} of ${patch.hunks.length} (@@ -${declaredStart + 1}) does not apply to "${path}": ${outcome.message}`,
      hunk: index + 1,
      ...(outcome.firstDivergingLine === undefined ? {} : { firstDivergingLine: outcome.firstDivergingLine }),
      ...(outcome.closestMatch === undefined ? {} : { closestMatch: outcome.closestMatch }),
    });
  });
  return failures.length > 0 ? { ok: false, failures } : { ok: true, document: current, strategies };
}

/** Applies one file of a unified diff: creation, deletion, modification or rename (with or without hunks). */
export async function applyFilePatch(context: EditContext, patch: FilePatch): Promise<EditStepResult> {
  const path = patch.newPath ?? patch.oldPath ?? '';
  if (patch.binary) {
    return {
      ok: false,
      failures: [
        { path, reason: 'binary-file', message: `"${path}" is a binary change, which a text diff cannot carry` },
      ],
    };
  }
  if (patch.operation === 'create') {
    const target = await locate(context, path);
    if (!target.ok) return { ok: false, failures: [target.failure] };
    if (target.state.kind === 'file') {
      return {
        ok: false,
        failures: [{ path, reason: 'file-exists', message: `the diff creates "${path}", which already exists` }],
      };
    }
    const mode = modeFromGit(patch.newMode, 0o644);
    if (typeof mode !== 'number') return { ok: false, failures: [{ ...mode, path }] };
    const result = applyHunks(context, path, parseDocument(''), patch);
    if (!result.ok) return result;
    context.overlay.write(target.canonicalPath, {
      kind: 'file',
      bytes: Buffer.from(serializeDocument(result.document)),
      mode,
    });
    return { ok: true, applied: [{ path, strategy: 'create' }] };
  }
  const sourcePath = patch.oldPath ?? path;
  const source = await locate(context, sourcePath);
  if (!source.ok) return { ok: false, failures: [source.failure] };
  if (source.state.kind === 'absent') {
    return {
      ok: false,
      failures: [{ path: sourcePath, reason: 'file-missing', message: `"${sourcePath}" does not exist` }],
    };
  }
  if (patch.operation === 'delete') {
    if (source.isSymlink) {
      return {
        ok: false,
        failures: [{ path: sourcePath, reason: 'forbidden-path', message: `"${sourcePath}" is a symbolic link` }],
      };
    }
    context.overlay.write(source.canonicalPath, { kind: 'absent' });
    return { ok: true, applied: [{ path: sourcePath, strategy: 'delete' }] };
  }
  const mode = modeFromGit(patch.newMode, source.state.mode);
  if (typeof mode !== 'number') return { ok: false, failures: [{ ...mode, path }] };
  let bytes = source.state.bytes;
  let strategies: ApplyStrategy[] = [];
  if (patch.hunks.length > 0) {
    const decoded = decodeText(source.state.bytes);
    if (!decoded.ok)
      return { ok: false, failures: [{ path: sourcePath, reason: 'binary-file', message: decoded.message }] };
    const result = applyHunks(context, sourcePath, parseDocument(decoded.text), patch);
    if (!result.ok) return result;
    bytes = encodeText(serializeDocument(result.document), decoded.byteOrderMark);
    strategies = result.strategies;
  }
  if (patch.operation === 'rename') {
    if (source.isSymlink) {
      return {
        ok: false,
        failures: [{ path: sourcePath, reason: 'forbidden-path', message: `"${sourcePath}" is a symbolic link` }],
      };
    }
    const destination = await locate(context, path);
    if (!destination.ok) return { ok: false, failures: [destination.failure] };
    if (destination.state.kind === 'file') {
      return {
        ok: false,
        failures: [{ path, reason: 'file-exists', message: `the diff renames onto "${path}", which exists` }],
      };
    }
    context.overlay.write(destination.canonicalPath, { kind: 'file', bytes, mode });
    context.overlay.write(source.canonicalPath, { kind: 'absent' });
    return { ok: true, applied: [{ path, strategy: loosestStrategy(strategies, 'rename') }] };
  }
  context.overlay.write(source.canonicalPath, { kind: 'file', bytes, mode });
  return { ok: true, applied: [{ path, strategy: loosestStrategy(strategies, 'exact') }] };
}
