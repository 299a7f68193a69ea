import { defaultSizeLimits, type EditFailure, type FileEdit, formatBytes, type SizeLimits } from '@orchestrator/spec';

/** The size bounds that edit application enforces (the rest of `SizeLimits` is the test run's). */
export type EditSizeLimits = Pick<SizeLimits, 'maxEditBytes' | 'maxFileBytes' | 'maxDiffBytes'>;

/** Bytes of an edit's payload: what the model sent for it. */
export function editPayloadBytes(edit: FileEdit): number {
  const bytes = (text: unknown) => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0);
  switch (edit.kind) {
    case 'search-replace':
      return bytes(edit.search) + bytes(edit.replace);
    case 'unified-diff':
      return bytes(edit.diff);
    case 'create':
      return bytes(edit.content);
    default:
      return 0;
  }
}

function pathOf(edit: FileEdit): string {
  if (edit.kind === 'rename') return edit.to;
  if (edit.kind === 'unified-diff') return '';
  return typeof edit.path === 'string' ? edit.path : '';
}

/** The limits with their defaults filled in. */
export function editSizeLimitsOf(limits: Partial<EditSizeLimits> | undefined): EditSizeLimits {
  return {
    maxEditBytes: limits?.maxEditBytes ?? defaultSizeLimits.maxEditBytes,
    maxFileBytes: limits?.maxFileBytes ?? defaultSizeLimits.maxFileBytes,
    maxDiffBytes: limits?.maxDiffBytes ?? defaultSizeLimits.maxDiffBytes,
  };
}

/**
 * The `too-large` failures of a batch before anything is read or written: each edit over the per-edit bound, and the
 * whole batch over the per-diff bound. Each message says the size, the bound, and what to do instead.
 */
export function oversizeEdits(edits: readonly FileEdit[], limits: EditSizeLimits): EditFailure[] {
  const failures: EditFailure[] = [];
  let total = 0;
  for (const [editIndex, edit] of edits.entries()) {
    const bytes = editPayloadBytes(edit);
    total += bytes;
    if (bytes > limits.maxEditBytes) {
      const path = pathOf(edit);
      failures.push({
        editIndex,
        path,
        reason: 'too-large',
        message: `edit ${editIndex + 1}${path === '' ? '' : ` (${path})`} is ${formatBytes(bytes)}, over the ${formatBytes(limits.maxEditBytes)} limit per edit; send a smaller change (generated or binary data does not belong in an edit)`,
      });
    }
  }
  if (total > limits.maxDiffBytes) {
    failures.push({
      editIndex: -1,
      path: '',
      reason: 'too-large',
      message: `the edits total ${formatBytes(total)}, over the ${formatBytes(limits.maxDiffBytes)} limit per change; split the change or make it smaller`,
    });
  }
  return failures;
}

/**
 * The `too-large` failures of files a batch would write over the per-file bound. A file already over it may be edited
 * as long as it does not grow.
 */
export function oversizeFiles(
  files: ReadonlyArray<{ canonicalPath: string; bytes: number; bytesBefore: number }>,
  limits: EditSizeLimits,
): EditFailure[] {
  return files
    .filter((file) => file.bytes > limits.maxFileBytes && file.bytes > file.bytesBefore)
    .map((file) => ({
      editIndex: -1,
      path: file.canonicalPath,
      reason: 'too-large' as const,
      message: `"${file.canonicalPath}" would be ${formatBytes(file.bytes)}, over the ${formatBytes(limits.maxFileBytes)} limit per file; keep the file smaller`,
    }));
}
