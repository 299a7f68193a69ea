import type { HunkLine } from './hunk-application.ts';
import { normalizeWhitespace, type PreparedLine, preparedSimilarity, prepareLine } from './text-document.ts';

/** For each old-side line of a hunk, the file line it was aligned with (undefined: not found). */
export type Alignment = Array<number | undefined>;

const fuzzyThreshold = 0.6;
const removedLineSimilarity = 0.9;
const contextLineSimilarity = 0.75;
const maximumCandidates = 64;
/** Regions whose alignment weighs at most half a line less than the best count as equally good. */
const nearWeightMargin = 0.5;

/**
 * Anchored fuzzy alignment: candidate positions come from lines that match exactly (modulo whitespace) — removed lines
 * first — then a weighted longest-common-subsequence aligns the hunk's old side with a window around each candidate.
 * Every removed line must be found; context lines may be missing or altered (context drift).
 */
export function alignFuzzy(
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

export function firstMatched(alignment: Alignment): number {
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
