import { type Alignment, alignFuzzy, firstMatched } from './fuzzy-alignment.ts';
import { describeMismatch, type MismatchReport } from './mismatch-report.ts';
import { indentationOf, normalizeWhitespace, spliceDocument, type TextDocument } from './text-document.ts';

/** The line-matching strategies, from strictest to loosest. */
export type MatchStrategy = 'exact' | 'whitespace-tolerant' | 'anchored-fuzzy';
export const matchStrategies: readonly MatchStrategy[] = ['exact', 'whitespace-tolerant', 'anchored-fuzzy'];

/** One line of a hunk: context (` `), removed (`-`) or added (`+`). */
export interface HunkLine {
  kind: ' ' | '-' | '+';
  text: string;
}

/** A change to a region of a file, from a unified diff hunk or a search/replace block. */
export interface Hunk {
  lines: readonly HunkLine[];
  /** 0-based line where the old side is expected to start; omitted when the position is unknown. */
  expectedStart?: number;
  /** The new side ends without a final newline (`\ No newline at end of file` after it). */
  newEndsWithoutNewline?: boolean;
  /** The old side ends without a final newline. */
  oldEndsWithoutNewline?: boolean;
  /**
   * Where the hunk belongs when its context is one-sided (as `git apply` decides): `end` for a hunk with leading but
   * no trailing context (it touches the end of the file), `start` for one at line 1 with trailing but no leading
   * context. Matches there are preferred over nearer ones.
   */
  anchor?: 'start' | 'end';
}

export type HunkOutcome =
  | { ok: true; document: TextDocument; strategy: MatchStrategy; start: number; oldLength: number; newLength: number }
  | ({ ok: false; reason: 'no-match' | 'ambiguous-match'; message: string } & MismatchReport);

/** Applies one hunk with the strictest strategy that matches, up to `maxStrategy`. */
export function applyHunk(document: TextDocument, hunk: Hunk, maxStrategy: MatchStrategy): HunkOutcome {
  const oldItems = hunk.lines.filter((line) => line.kind !== '+');
  const lines = document.lines;
  if (oldItems.length === 0) {
    const wanted = hunk.expectedStart ?? lines.length;
    const position = Math.min(Math.max(wanted, 0), lines.length);
    const strategy: MatchStrategy = wanted <= lines.length ? 'exact' : 'anchored-fuzzy';
    if (strategy === 'anchored-fuzzy' && maxStrategy !== 'anchored-fuzzy') {
      return {
        ok: false,
        reason: 'no-match',
        message: `the hunk inserts at line ${wanted + 1}, past the end of the file`,
      };
    }
    const added = hunk.lines.map((line) => line.text);
    const atEnd = position === lines.length;
    const finalNewline = atEnd && hunk.newEndsWithoutNewline ? false : undefined;
    return {
      ok: true,
      document: spliceDocument(document, position, 0, added, finalNewline),
      strategy,
      start: position,
      oldLength: 0,
      newLength: added.length,
    };
  }
  const oldTexts = oldItems.map((item) => item.text);
  const levels = matchStrategies.slice(0, matchStrategies.indexOf(maxStrategy) + 1);
  for (const strategy of levels) {
    if (strategy === 'anchored-fuzzy') {
      const fuzzy = alignFuzzy(lines, oldItems, hunk.expectedStart, hunk.anchor);
      if (fuzzy === 'ambiguous') {
        return {
          ok: false,
          reason: 'ambiguous-match',
          message: 'several regions of the file match equally well; add more distinctive context',
          ...describeMismatch(lines, oldTexts, hunk.expectedStart),
        };
      }
      if (fuzzy !== undefined) return rewriteRegion(document, hunk, fuzzy.alignment, strategy);
      continue;
    }
    const equal =
      strategy === 'exact'
        ? (fileLine: string, index: number) => fileLine === oldTexts[index]
        : (fileLine: string, index: number) => normalizeWhitespace(fileLine) === normalizeWhitespace(oldTexts[index]!);
    const start = findBlock(lines, oldTexts.length, equal, hunk.expectedStart, hunk.anchor);
    if (
      start !== undefined &&
      hunk.expectedStart !== undefined &&
      start !== hunk.expectedStart &&
      maxStrategy === 'anchored-fuzzy'
    ) {
      // A copy of the block further away must not win over the block at the stated line with a line inserted into it
      // (duplicated code plus a concurrent change): a perfect alignment nearer to the stated line is preferred.
      const nearer = alignFuzzy(lines, oldItems, hunk.expectedStart, hunk.anchor);
      if (
        typeof nearer === 'object' &&
        nearer.score >= 1 - 1e-9 &&
        Math.abs(firstMatched(nearer.alignment) - hunk.expectedStart) < Math.abs(start - hunk.expectedStart)
      ) {
        return rewriteRegion(document, hunk, nearer.alignment, 'anchored-fuzzy');
      }
    }
    if (start !== undefined) {
      return rewriteRegion(
        document,
        hunk,
        oldTexts.map((_, index) => start + index),
        strategy,
      );
    }
  }
  return {
    ok: false,
    reason: 'no-match',
    message: `the ${oldTexts.length} expected line(s) were not found in the file`,
    ...describeMismatch(lines, oldTexts, hunk.expectedStart),
  };
}

/** Start of the block nearest to `expectedStart` (or the first one) whose lines all satisfy `equal`. */
function findBlock(
  lines: readonly string[],
  length: number,
  equal: (fileLine: string, index: number) => boolean,
  expectedStart: number | undefined,
  anchor?: 'start' | 'end',
): number | undefined {
  const matchesAt = (start: number) => {
    if (start < 0 || start + length > lines.length) return false;
    for (let index = 0; index < length; index++) if (!equal(lines[start + index]!, index)) return false;
    return true;
  };
  // A one-sided hunk matches only at its end of the file here; elsewhere is left to the fuzzy strategy to weigh.
  if (anchor === 'start') return matchesAt(0) ? 0 : undefined;
  if (anchor === 'end') return matchesAt(lines.length - length) ? lines.length - length : undefined;
  let best: number | undefined;
  for (let start = 0; start + length <= lines.length; start++) {
    let matches = true;
    for (let index = 0; index < length && matches; index++) matches = equal(lines[start + index]!, index);
    if (!matches) continue;
    if (expectedStart === undefined) return start;
    if (best === undefined || Math.abs(start - expectedStart) < Math.abs(best - expectedStart)) best = start;
  }
  return best;
}

/** Replaces the file region the alignment covers, keeping file lines the hunk does not know about (context drift). */
function rewriteRegion(
  document: TextDocument,
  hunk: Hunk,
  alignment: Alignment,
  strategy: MatchStrategy,
): HunkOutcome & { ok: true } {
  const lines = document.lines;
  const matched = alignment.filter((index): index is number => index !== undefined);
  const regionStart = Math.min(...matched);
  const regionEnd = Math.max(...matched);
  const reindent = indentationFix(lines, hunk, alignment, strategy);
  const output: string[] = [];
  let filePosition = regionStart;
  let oldIndex = 0;
  for (const line of hunk.lines) {
    if (line.kind === '+') {
      output.push(reindent(line.text));
      continue;
    }
    const fileIndex = alignment[oldIndex++];
    if (fileIndex === undefined) {
      // A context line the file no longer has: the file's own unmatched line in the same gap most likely replaced it
      // (context drift), so it takes this place, before any lines the hunk adds after it.
      const nextMatched = alignment.slice(oldIndex).find((index) => index !== undefined);
      if (nextMatched !== undefined && filePosition < nextMatched) output.push(lines[filePosition++]!);
      continue;
    }
    while (filePosition < fileIndex) output.push(lines[filePosition++]!);
    if (line.kind === ' ') output.push(lines[fileIndex]!);
    filePosition = fileIndex + 1;
  }
  let finalNewline: boolean | undefined;
  if (regionEnd === lines.length - 1) {
    if (hunk.newEndsWithoutNewline) finalNewline = false;
    else if (hunk.oldEndsWithoutNewline) finalNewline = true;
  }
  const oldLength = regionEnd - regionStart + 1;
  return {
    ok: true,
    document: spliceDocument(document, regionStart, oldLength, output, finalNewline),
    strategy,
    start: regionStart,
    oldLength,
    newLength: output.length,
  };
}

/** The transformation that turns a hunk line's indentation into the file's, judged from one matched pair. */
function indentationTransform(fileIndent: string, hunkIndent: string): (text: string) => string {
  if (fileIndent === hunkIndent) return (text) => text;
  if (fileIndent.endsWith(hunkIndent)) {
    // The hunk lost some outer indentation: add it back.
    const missing = fileIndent.slice(0, fileIndent.length - hunkIndent.length);
    return (text) => (text.trim() === '' ? text : missing + text);
  }
  if (hunkIndent.endsWith(fileIndent)) {
    const extra = hunkIndent.slice(0, hunkIndent.length - fileIndent.length);
    return (text) => (text.startsWith(extra) ? text.slice(extra.length) : text);
  }
  // Tabs versus spaces: translate the hunk's indentation unit into the file's.
  return (text) => (text.startsWith(hunkIndent) ? fileIndent + text.slice(hunkIndent.length) : text);
}

/**
 * When the whole hunk is indented differently from the file (the same shift on every matched line), re-indents the
 * added lines the same way. If only some lines differ, the added lines are left as written.
 */
function indentationFix(
  lines: readonly string[],
  hunk: Hunk,
  alignment: Alignment,
  strategy: MatchStrategy,
): (text: string) => string {
  const identity = (text: string) => text;
  if (strategy === 'exact') return identity;
  const oldItems = hunk.lines.filter((line) => line.kind !== '+');
  const pairs: Array<{ fileLine: string; hunkLine: string }> = [];
  oldItems.forEach((item, index) => {
    const fileIndex = alignment[index];
    if (fileIndex === undefined || item.text.trim() === '') return;
    const fileLine = lines[fileIndex]!;
    if (normalizeWhitespace(fileLine) === normalizeWhitespace(item.text)) pairs.push({ fileLine, hunkLine: item.text });
  });
  const first = pairs[0];
  if (first === undefined) return identity;
  const transform = indentationTransform(indentationOf(first.fileLine), indentationOf(first.hunkLine));
  const consistent = pairs.every((pair) => indentationOf(transform(pair.hunkLine)) === indentationOf(pair.fileLine));
  return consistent ? transform : identity;
}
