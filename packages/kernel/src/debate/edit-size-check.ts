import {
  defaultSizeLimits,
  type FileEdit,
  formatBytes,
  type ProtocolMessage,
  type RunLimits,
  type SizeLimits,
} from '@orchestrator/spec';

/** The run's size bounds: its recorded limits, else the defaults. */
export function sizeLimitsOf(limits: RunLimits): SizeLimits {
  return {
    maxEditBytes: limits.maxEditBytes ?? defaultSizeLimits.maxEditBytes,
    maxFileBytes: limits.maxFileBytes ?? defaultSizeLimits.maxFileBytes,
    maxDiffBytes: limits.maxDiffBytes ?? defaultSizeLimits.maxDiffBytes,
    testDiskQuotaBytes: limits.testDiskQuotaBytes ?? defaultSizeLimits.testDiskQuotaBytes,
  };
}

const textBytes = (text: unknown) => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0);

function payloadBytes(edit: FileEdit): number {
  if (edit.kind === 'search-replace') return textBytes(edit.search) + textBytes(edit.replace);
  if (edit.kind === 'unified-diff') return textBytes(edit.diff);
  if (edit.kind === 'create') return textBytes(edit.content);
  return 0;
}

function editsOfMessage(message: ProtocolMessage): FileEdit[] {
  if (message.kind === 'implement' || message.kind === 'test') return (message.edits ?? []) as FileEdit[];
  return [];
}

/**
 * Why a reply's edits are too large to apply (per edit, per batch), as a repair error for the model; undefined when
 * they fit. Checked before the reply is journaled, so an oversized edit never reaches the journal, a prompt or a diff.
 */
export function oversizeProblem(message: ProtocolMessage, limits: SizeLimits): string | undefined {
  const problems: string[] = [];
  let total = 0;
  for (const [index, edit] of editsOfMessage(message).entries()) {
    const bytes = payloadBytes(edit);
    total += bytes;
    if (bytes > limits.maxEditBytes) {
      const path = edit.kind === 'rename' ? edit.to : 'path' in edit ? edit.path : '';
      problems.push(
        `edit ${index + 1}${path === '' ? '' : ` (${path})`} is ${formatBytes(bytes)}, over the ${formatBytes(limits.maxEditBytes)} limit per edit`,
      );
    }
  }
  if (total > limits.maxDiffBytes) {
    problems.push(
      `the edits total ${formatBytes(total)}, over the ${formatBytes(limits.maxDiffBytes)} limit per change`,
    );
  }
  if (problems.length === 0) return undefined;
  return `edits too large: ${problems.join('; ')}. Send a smaller change: generated, minified or binary data does not belong in an edit.`;
}

/** A reply cut to `maxCharacters` for a repair request, saying how much was left out. */
export function elideReply(text: string, maxCharacters = 4000): string {
  if (text.length <= maxCharacters) return text;
  return `${text.slice(0, maxCharacters)}\n[… ${text.length - maxCharacters} more characters left out: the reply was over the size limit …]`;
}
