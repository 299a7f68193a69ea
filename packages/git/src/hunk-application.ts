import {
  indentationOf,
  normalizeWhitespace,
  type PreparedLine,
  preparedSimilarity,
  prepareLine,
  spliceDocument,
  type TextDocument,
} from './text-document.ts';

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

export interface MismatchReport {
  firstDivergingLine?: { expected: string; actual: string; line: number };
  closestMatch?: { startLine: number; text: string; similarity: number };
}

export type HunkOutcome =
  | { ok: true; document: TextDocument; strategy: MatchStrategy; start: number; oldLength: number; newLength: number }
  | ({ ok: false; reason: 'no-match' | 'ambiguous-match'; message: string } & MismatchReport);

const fuzzyThreshold = 0.6;
const removedLineSimilarity = 0.9;
const contextLineSimilarity = 0.75;
const maximumCandidates = 64;
/** Regions whose alignment weighs at most half a line less than the best count as equally good. */
const nearWeightMargin = 0.5;

type Alignment = Array<number | undefined>;

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

/**
 * Anchored fuzzy alignment: candidate positions come from lines that match exactly (modulo whitespace) — removed lines
 * first — then a weighted longest-common-subsequence aligns the hunk's old side with a window around each candidate.
 * Every removed line must be found; context lines may be missing or altered (context drift).
 */
function alignFuzzy(
  lines: readonly string[],
  oldItems: readonly HunkLine[],
  expectedStart: number | undefined,
  anchor: 'start' | 'end' | undefined,
): { alignment: Alignment; score: number } | 'ambiguous' | undefined {
  const normalizedFile = lines.map(normalizeWhitespace);
  const normalizedOld = oldItems.map((item) => normalizeWhitespace(item.text));
  const distinctive = (index: number) => normalizedOld[index]!.length >= 3;
  let anchors = oldItems
    .map((_, index) => index)
    .filter((index) => oldItems[index]!.kind === '-' && distinctive(index));
  if (anchors.length === 0) anchors = oldItems.map((_, index) => index).filter(distinctive);
  if (anchors.length === 0) anchors = oldItems.map((_, index) => index);
  const positions = new Map<string, number[]>();
  normalizedFile.forEach((line, index) => {
    const list = positions.get(line);
    if (list === undefined) positions.set(line, [index]);
    else list.push(index);
  });
  const candidateSet = new Set<number>();
  for (const anchor of anchors) {
    for (const fileIndex of positions.get(normalizedOld[anchor]!) ?? []) candidateSet.add(fileIndex - anchor);
  }
  if (candidateSet.size === 0 && anchors.length * lines.length <= 200_000) {
    // No line survived unchanged: anchor on lines that are merely similar (a drifted line the block is about).
    for (const anchorIndex of anchors) {
      const prepared = prepareLine(oldItems[anchorIndex]!.text);
      lines.forEach((line, fileIndex) => {
        if (preparedSimilarity(prepared, prepareLine(line)) >= contextLineSimilarity)
          candidateSet.add(fileIndex - anchorIndex);
      });
    }
  }
  // The declared position and, for one-sided hunks, the file's end or start are candidates even without an anchor line.
  if (expectedStart !== undefined) candidateSet.add(expectedStart);
  if (anchor === 'end') candidateSet.add(lines.length - oldItems.length);
  if (anchor === 'start') candidateSet.add(0);
  const target = expectedStart ?? 0;
  const candidates = [...candidateSet]
    .sort((first, second) => Math.abs(first - target) - Math.abs(second - target) || first - second)
    .slice(0, maximumCandidates);
  const similarityCache = new Map<number, number>();
  const preparedOld: Array<PreparedLine | undefined> = [];
  const preparedFile: Array<PreparedLine | undefined> = [];
  const weight = (oldIndex: number, fileIndex: number): number => {
    if (normalizedOld[oldIndex] === normalizedFile[fileIndex]) return 1;
    const key = oldIndex * lines.length + fileIndex;
    let similarity = similarityCache.get(key);
    if (similarity === undefined) {
      preparedOld[oldIndex] ??= prepareLine(oldItems[oldIndex]!.text);
      preparedFile[fileIndex] ??= prepareLine(lines[fileIndex]!);
      similarity = preparedSimilarity(preparedOld[oldIndex]!, preparedFile[fileIndex]!);
      similarityCache.set(key, similarity);
    }
    const minimum = oldItems[oldIndex]!.kind === '-' ? removedLineSimilarity : contextLineSimilarity;
    return similarity >= minimum ? similarity : 0;
  };
  const slack = Math.max(3, Math.ceil(oldItems.length / 2));
  const valid: Array<{ alignment: Alignment; score: number; distance: number; anchored: boolean }> = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const windowStart = Math.max(0, candidate - slack);
    const windowEnd = Math.min(lines.length, candidate + oldItems.length + slack);
    if (windowEnd <= windowStart) continue;
    const { alignment, total } = weightedAlignment(oldItems.length, windowStart, windowEnd, weight);
    if (oldItems.some((item, index) => item.kind === '-' && alignment[index] === undefined)) continue;
    const score = total / oldItems.length;
    if (score < fuzzyThreshold) continue;
    const key = alignment.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    const matched = alignment.filter((index): index is number => index !== undefined);
    const first = matched[0] ?? 0;
    const last = matched.at(-1) ?? 0;
    // A one-sided hunk must sit at its end of the file; within the slack of the missing context, it does.
    const anchored = (anchor === 'end' && last >= lines.length - 1 - slack) || (anchor === 'start' && first <= slack);
    valid.push({ alignment, score, distance: Math.abs(first - target), anchored });
  }
  const pool = valid.some((entry) => entry.anchored) ? valid.filter((entry) => entry.anchored) : valid;
  if (pool.length === 0) return undefined;
  const bestScore = Math.max(...pool.map((entry) => entry.score));
  if (expectedStart === undefined) {
    // No line number to go by (a search/replace block): only a single best region is acceptable.
    const top = pool.filter((entry) => bestScore - entry.score <= 1e-9);
    return top.length > 1 ? 'ambiguous' : top[0];
  }
  // With a line number, the stated position is strong evidence: among nearly-as-good regions, take the nearest.
  const near = pool
    .filter((entry) => bestScore - entry.score <= nearWeightMargin / oldItems.length)
    .sort((first, second) => first.distance - second.distance || second.score - first.score);
  const [chosen, runnerUp] = near;
  if (
    runnerUp !== undefined &&
    runnerUp.distance === chosen!.distance &&
    Math.abs(runnerUp.score - chosen!.score) <= 1e-9
  ) {
    return 'ambiguous';
  }
  return chosen;
}

function firstMatched(alignment: Alignment): number {
  return alignment.find((index) => index !== undefined) ?? 0;
}

/** Maximum-weight order-preserving alignment of `count` hunk lines with file lines [windowStart, windowEnd). */
function weightedAlignment(
  count: number,
  windowStart: number,
  windowEnd: number,
  weight: (oldIndex: number, fileIndex: number) => number,
): { alignment: Alignment; total: number } {
  const width = windowEnd - windowStart;
  const table: Float64Array[] = Array.from({ length: count + 1 }, () => new Float64Array(width + 1));
  for (let oldIndex = count - 1; oldIndex >= 0; oldIndex--) {
    const row = table[oldIndex]!;
    const next = table[oldIndex + 1]!;
    for (let column = width - 1; column >= 0; column--) {
      const pair = weight(oldIndex, windowStart + column);
      const take = pair > 0 ? pair + next[column + 1]! : 0;
      row[column] = Math.max(take, next[column]!, row[column + 1]!);
    }
  }
  const alignment: Alignment = new Array(count).fill(undefined);
  let oldIndex = 0;
  let column = 0;
  while (oldIndex < count && column < width) {
    const pair = weight(oldIndex, windowStart + column);
    const here = table[oldIndex]![column]!;
    if (pair > 0 && Math.abs(here - (pair + table[oldIndex + 1]![column + 1]!)) < 1e-9) {
      alignment[oldIndex] = windowStart + column;
      oldIndex++;
      column++;
    } else if (Math.abs(here - table[oldIndex + 1]![column]!) < 1e-9) {
      oldIndex++;
    } else {
      column++;
    }
  }
  return { alignment, total: table[0]![0]! };
}

/** Where the expected text diverges from the file, and the file region that resembles it most. */
export function describeMismatch(
  lines: readonly string[],
  expected: readonly string[],
  expectedStart: number | undefined,
): MismatchReport {
  if (expected.length === 0) return {};
  const windowLength = Math.min(expected.length, lines.length);
  const preparedFile = lines.map(prepareLine);
  const preparedExpected = expected.map(prepareLine);
  let closest: { start: number; similarity: number } | undefined;
  if (windowLength > 0) {
    for (let start = 0; start + windowLength <= lines.length; start++) {
      let sum = 0;
      for (let index = 0; index < expected.length; index++) {
        const fileLine = preparedFile[start + index];
        if (fileLine !== undefined) sum += preparedSimilarity(preparedExpected[index]!, fileLine);
      }
      const similarity = sum / expected.length;
      if (
        closest === undefined ||
        similarity > closest.similarity + 1e-9 ||
        (Math.abs(similarity - closest.similarity) <= 1e-9 &&
          expectedStart !== undefined &&
          Math.abs(start - expectedStart) < Math.abs(closest.start - expectedStart))
      ) {
        closest = { start, similarity };
      }
    }
  }
  const report: MismatchReport = {};
  const location =
    closest !== undefined && closest.similarity >= 0.5
      ? closest.start
      : Math.min(Math.max(expectedStart ?? 0, 0), lines.length);
  for (let index = 0; index < expected.length; index++) {
    const actual = lines[location + index];
    if (actual !== expected[index]) {
      report.firstDivergingLine = {
        expected: expected[index]!,
        actual: actual ?? '<end of file>',
        line: location + index + 1,
      };
      break;
    }
  }
  if (closest !== undefined) {
    report.closestMatch = {
      startLine: closest.start + 1,
      text: lines.slice(closest.start, closest.start + windowLength).join('\n'),
      similarity: Math.round(closest.similarity * 100) / 100,
    };
  }
  return report;
}
