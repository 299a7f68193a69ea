/**
 * A text file as lines plus the line ending of each line, so that edits keep CRLF/LF (even mixed) and the presence or
 * absence of a final newline exactly as they were.
 */
export interface TextDocument {
  /** The lines, without their line endings. */
  readonly lines: readonly string[];
  /** The ending of each line: `\n`, `\r\n`, or `''` for a last line without a final newline. */
  readonly endings: readonly string[];
}

export function parseDocument(text: string): TextDocument {
  const lines: string[] = [];
  const endings: string[] = [];
  const pattern = /\r?\n/g;
  let start = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    lines.push(text.slice(start, match.index));
    endings.push(match[0]);
    start = match.index + match[0].length;
  }
  if (start < text.length) {
    lines.push(text.slice(start));
    endings.push('');
  }
  return { lines, endings };
}

export function serializeDocument(document: TextDocument): string {
  let text = '';
  for (let index = 0; index < document.lines.length; index++) {
    text += document.lines[index]! + document.endings[index]!;
  }
  return text;
}

/** The line ending most lines use (`\n` for an empty file or a tie). */
export function dominantEnding(document: TextDocument): string {
  let crlf = 0;
  let lf = 0;
  for (const ending of document.endings) {
    if (ending === '\r\n') crlf++;
    else if (ending === '\n') lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

export function hasFinalNewline(document: TextDocument): boolean {
  return document.endings.length === 0 || document.endings[document.endings.length - 1] !== '';
}

/** The document as text with `\n` endings (final newline kept as it was). */
export function toLfText(document: TextDocument): string {
  return document.lines.map((line, index) => line + (document.endings[index] === '' ? '' : '\n')).join('');
}

/**
 * Replaces `deleteCount` lines at `start` by `newLines`. Replacement lines reuse the ending of the line they replace
 * (positionally) or the file's dominant ending; the final-newline state is kept unless `finalNewline` says otherwise.
 */
export function spliceDocument(
  document: TextDocument,
  start: number,
  deleteCount: number,
  newLines: readonly string[],
  finalNewline?: boolean,
): TextDocument {
  const dominant = dominantEnding(document);
  const touchesEnd = start + deleteCount >= document.lines.length;
  const lines = [...document.lines];
  const endings = [...document.endings];
  const replacedEndings = endings.slice(start, start + deleteCount);
  const newEndings = newLines.map((_, index) => {
    const previous = replacedEndings[index];
    return previous === undefined || previous === '' ? dominant : previous;
  });
  lines.splice(start, deleteCount, ...newLines);
  endings.splice(start, deleteCount, ...newEndings);
  for (let index = 0; index < endings.length - 1; index++) {
    if (endings[index] === '') endings[index] = dominant;
  }
  if (endings.length > 0) {
    const keepFinal = finalNewline ?? (touchesEnd ? hasFinalNewline(document) : endings[endings.length - 1] !== '');
    endings[endings.length - 1] = keepFinal ? endings[endings.length - 1] || dominant : '';
  }
  return { lines, endings };
}

/**
 * Rebuilds a document from new `\n` text after a text-level replacement, keeping the original endings of the lines
 * before `firstChangedLine` and of the last `unchangedTailLines` lines.
 */
export function documentFromLfText(
  original: TextDocument,
  text: string,
  firstChangedLine: number,
  unchangedTailLines: number,
): TextDocument {
  const parsed = parseDocument(text);
  const dominant = dominantEnding(original);
  const endings = parsed.endings.map((ending, index) => {
    if (ending === '') return '';
    if (index < firstChangedLine) return original.endings[index] || dominant;
    const fromEnd = parsed.endings.length - 1 - index;
    if (fromEnd < unchangedTailLines) {
      return original.endings[original.endings.length - 1 - fromEnd] || dominant;
    }
    // Inside the changed region: reuse the ending of the line at the same position in the old region.
    const oldRegionEnd = original.endings.length - 1 - unchangedTailLines;
    return index <= oldRegionEnd ? original.endings[index] || dominant : dominant;
  });
  return { lines: parsed.lines, endings };
}

/** Trims a line and collapses inner whitespace runs: the comparison key of the whitespace-tolerant strategy. */
export function normalizeWhitespace(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}

function bigrams(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let index = 0; index < text.length - 1; index++) {
    const pair = text.slice(index, index + 2);
    counts.set(pair, (counts.get(pair) ?? 0) + 1);
  }
  return counts;
}

/** A line prepared for repeated similarity comparisons. */
export interface PreparedLine {
  normalized: string;
  pairs: Map<string, number>;
}

export function prepareLine(line: string): PreparedLine {
  const normalized = normalizeWhitespace(line);
  return { normalized, pairs: bigrams(normalized) };
}

/** Similarity of two prepared lines in [0, 1] (Dice coefficient on character bigrams of the normalized text). */
export function preparedSimilarity(left: PreparedLine, right: PreparedLine): number {
  if (left.normalized === right.normalized) return 1;
  if (left.normalized.length < 2 || right.normalized.length < 2) return 0;
  const [small, large] = left.pairs.size <= right.pairs.size ? [left.pairs, right.pairs] : [right.pairs, left.pairs];
  let shared = 0;
  for (const [pair, count] of small) shared += Math.min(count, large.get(pair) ?? 0);
  return (2 * shared) / (left.normalized.length - 1 + right.normalized.length - 1);
}

/** Similarity of two lines in [0, 1] (Dice coefficient on character bigrams of the whitespace-normalized text). */
export function lineSimilarity(first: string, second: string): number {
  return preparedSimilarity(prepareLine(first), prepareLine(second));
}

/** Leading whitespace of a line. */
export function indentationOf(line: string): string {
  return /^\s*/.exec(line)?.[0] ?? '';
}
