import { preparedSimilarity, prepareLine } from './text-document.ts';

/** Where the expected text diverges from the file, and the region of the file closest to it. */
export interface MismatchReport {
  firstDivergingLine?: { expected: string; actual: string; line: number };
  closestMatch?: { startLine: number; text: string; similarity: number };
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
