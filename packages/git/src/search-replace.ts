import { diffArrays } from 'diff';
import { type EditContext, type EditStepResult, locate } from './edit-context.ts';
import { applyHunk, type HunkLine } from './hunk-application.ts';
import { describeMismatch } from './mismatch-report.ts';
import { decodeText, encodeText } from './text-content.ts';
import { documentFromLfText, parseDocument, serializeDocument, toLfText } from './text-document.ts';

function blockLines(text: string): string[] {
  const withoutFinalNewline = text.endsWith('\n') ? text.slice(0, -1) : text;
  return withoutFinalNewline === '' ? [] : withoutFinalNewline.split('\n');
}

function countNewlines(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/** Turns a search/replace pair into a hunk: unchanged lines become context, so the block survives context drift. */
function searchReplaceHunk(searchLines: readonly string[], replaceLines: readonly string[]): HunkLine[] {
  const lines: HunkLine[] = [];
  for (const change of diffArrays([...searchLines], [...replaceLines])) {
    const kind = change.added ? '+' : change.removed ? '-' : ' ';
    for (const text of change.value) lines.push({ kind, text });
  }
  while (lines[0]?.kind === ' ' && lines[0].text.trim() === '') lines.shift();
  while (lines.at(-1)?.kind === ' ' && lines.at(-1)?.text.trim() === '') lines.pop();
  return lines;
}

/** Applies a search/replace block: exact text first (first occurrence), then line matching with looser strategies. */
export async function applySearchReplace(
  context: EditContext,
  requested: string,
  search: string,
  replace: string,
): Promise<EditStepResult> {
  const target = await locate(context, requested);
  if (!target.ok) return { ok: false, failures: [target.failure] };
  if (target.state.kind === 'absent') {
    if (search !== '') {
      return {
        ok: false,
        failures: [
          {
            path: requested,
            reason: 'file-missing',
            message: `"${requested}" does not exist; use an empty search to create it`,
          },
        ],
      };
    }
    context.overlay.write(target.canonicalPath, { kind: 'file', bytes: Buffer.from(replace, 'utf8'), mode: 0o644 });
    return { ok: true, applied: [{ path: requested, strategy: 'create' }] };
  }
  const decoded = decodeText(target.state.bytes);
  if (!decoded.ok)
    return { ok: false, failures: [{ path: requested, reason: 'binary-file', message: decoded.message }] };
  const write = (text: string) =>
    context.overlay.write(target.canonicalPath, {
      kind: 'file',
      bytes: encodeText(text, decoded.byteOrderMark),
      mode: target.state.kind === 'file' ? target.state.mode : 0o644,
    });
  const document = parseDocument(decoded.text);
  if (search === '') {
    if (decoded.text !== '') {
      return {
        ok: false,
        failures: [
          { path: requested, reason: 'file-exists', message: `the search is empty but "${requested}" is not` },
        ],
      };
    }
    write(replace);
    return { ok: true, applied: [{ path: requested, strategy: 'exact' }] };
  }
  const lfText = toLfText(document);
  const searchText = search.replace(/\r\n/g, '\n');
  const replaceText = replace.replace(/\r\n/g, '\n');
  const index = lfText.indexOf(searchText);
  if (index !== -1) {
    const end = index + searchText.length;
    const firstChangedLine = countNewlines(lfText.slice(0, index));
    const lastChangedLine = countNewlines(lfText.slice(0, Math.max(index, end - 1)));
    const updated = lfText.slice(0, index) + replaceText + lfText.slice(end);
    const tail = document.lines.length - 1 - lastChangedLine;
    write(serializeDocument(documentFromLfText(document, updated, firstChangedLine, tail)));
    return { ok: true, applied: [{ path: requested, strategy: 'exact' }] };
  }
  const searchLines = blockLines(searchText);
  const hunkLines = searchReplaceHunk(searchLines, blockLines(replaceText));
  const outcome = hunkLines.every((line) => line.kind === '+')
    ? undefined
    : applyHunk(
        document,
        {
          lines: hunkLines,
          // At the end of the file, a block that drops (or adds) the final newline says so by its own last character.
          ...(searchText.endsWith('\n') && !replaceText.endsWith('\n') ? { newEndsWithoutNewline: true } : {}),
          ...(!searchText.endsWith('\n') && replaceText.endsWith('\n') ? { oldEndsWithoutNewline: true } : {}),
        },
        context.maxStrategy,
      );
  if (outcome?.ok) {
    write(serializeDocument(outcome.document));
    return { ok: true, applied: [{ path: requested, strategy: outcome.strategy }] };
  }
  const report = outcome ?? {
    reason: 'no-match' as const,
    message: 'the search text was not found in the file',
    ...describeMismatch(document.lines, searchLines, undefined),
  };
  const failure = {
    path: requested,
    reason: report.reason,
    message: `search block not found in "${requested}": ${report.message}`,
    ...(report.firstDivergingLine === undefined ? {} : { firstDivergingLine: report.firstDivergingLine }),
    ...(report.closestMatch === undefined ? {} : { closestMatch: report.closestMatch }),
  };
  return { ok: false, failures: [failure] };
}
