/** A real change to one file: its content before and after, and the git diff between them. */
export interface DiffCase {
  /** Where the change comes from (commit and path, or package versions). */
  source: string;
  /** Path of the file in the diff. */
  path: string;
  before: string;
  after: string;
  /** `git diff` output turning `before` into `after` (one file, modification). */
  diff: string;
}

/** One input of the benchmark: a file as it is in the worktree, a diff to apply, and the content expected after. */
export interface PerturbedCase {
  source: string;
  path: string;
  perturbation: Perturbation;
  /** The content the diff was made against (its preimage blob), which `git apply --3way` may use. */
  baseContent: string;
  fileContent: string;
  diff: string;
  expected: string;
}

export const perturbations = [
  'none',
  'file-offset',
  'header-offset',
  'miscounted-header',
  'indentation-shift',
  'context-whitespace',
  'context-drift-edit',
  'context-drift-insert',
  'combined',
] as const;
export type Perturbation = (typeof perturbations)[number];

const hunkHeader = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@(.*)$/;

/** Splits text into lines that keep their line ending. */
function linesWithEndings(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function endingOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Rewrites every hunk body line (`kind` + text) with `transform`; headers and file lines are kept. */
function mapHunkLines(
  diff: string,
  transform: (kind: string, text: string, hunk: number) => string | undefined,
): string {
  let hunk = -1;
  let inHunk = false;
  const output: string[] = [];
  for (const line of diff.split('\n')) {
    if (hunkHeader.test(line)) {
      hunk++;
      inHunk = true;
      output.push(line);
      continue;
    }
    if (line.startsWith('diff --git ')) inHunk = false;
    const kind = line[0];
    if (inHunk && (kind === ' ' || kind === '-' || kind === '+')) {
      const replaced = transform(kind, line.slice(1), hunk);
      if (replaced !== undefined) output.push(replaced);
      continue;
    }
    output.push(line);
  }
  return output.join('\n');
}

function mapHeaders(diff: string, transform: (numbers: number[], rest: string) => string): string {
  return diff
    .split('\n')
    .map((line) => {
      const match = hunkHeader.exec(line);
      if (match === null) return line;
      const numbers = [1, 2, 3, 4].map((index) => (match[index] === undefined ? 1 : Number(match[index])));
      return transform(numbers, match[5] ?? '');
    })
    .join('\n');
}

/** Positions (0-based old and new line indexes) of the context lines of each hunk. */
function contextPositions(
  diff: string,
): Array<Array<{ oldIndex: number; newIndex: number; text: string; previousKind: string }>> {
  const hunks: Array<Array<{ oldIndex: number; newIndex: number; text: string; previousKind: string }>> = [];
  let oldIndex = 0;
  let newIndex = 0;
  let previousKind = '';
  let inHunk = false;
  for (const line of diff.split('\n')) {
    const match = hunkHeader.exec(line);
    if (match !== null) {
      oldIndex = Number(match[1]) - 1;
      newIndex = Number(match[3]) - 1;
      if (match[2] === '0') oldIndex++;
      if (match[4] === '0') newIndex++;
      hunks.push([]);
      inHunk = true;
      previousKind = '';
      continue;
    }
    if (!inHunk) continue;
    const kind = line[0];
    if (kind === ' ') {
      hunks.at(-1)?.push({ oldIndex, newIndex, text: line.slice(1), previousKind });
      oldIndex++;
      newIndex++;
    } else if (kind === '-') oldIndex++;
    else if (kind === '+') newIndex++;
    else if (line.startsWith('diff --git ')) inHunk = false;
    if (kind === ' ' || kind === '-' || kind === '+') previousKind = kind;
  }
  return hunks;
}

function commonIndentation(lines: readonly string[]): string {
  const nonBlank = lines.filter((line) => line.trim() !== '');
  if (nonBlank.length === 0) return '';
  let prefix = /^\s*/.exec(nonBlank[0]!)?.[0] ?? '';
  for (const line of nonBlank) {
    while (!line.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix;
}

function driftEdit(testCase: DiffCase): { before: string; after: string } | undefined {
  const before = linesWithEndings(testCase.before);
  const after = linesWithEndings(testCase.after);
  let changed = false;
  for (const hunk of contextPositions(testCase.diff)) {
    // The context line right before the first change: the most tightly anchored one to disturb.
    const target =
      [...hunk]
        .reverse()
        .find((entry) => entry.text.trim().length > 2 && entry.previousKind !== '-' && entry.previousKind !== '+') ??
      hunk.find((entry) => entry.text.trim().length > 2);
    if (target === undefined) continue;
    const mutate = (line: string) => line.replace(/(\r?\n)?$/, (ending) => ` /* drifted */${ending}`);
    if (before[target.oldIndex] === undefined || after[target.newIndex] === undefined) continue;
    before[target.oldIndex] = mutate(before[target.oldIndex]!);
    after[target.newIndex] = mutate(after[target.newIndex]!);
    changed = true;
  }
  return changed ? { before: before.join(''), after: after.join('') } : undefined;
}

function driftInsert(testCase: DiffCase): { before: string; after: string } | undefined {
  const before = linesWithEndings(testCase.before);
  const after = linesWithEndings(testCase.after);
  const ending = endingOf(testCase.before);
  const inserts: Array<{ oldIndex: number; newIndex: number }> = [];
  for (const hunk of contextPositions(testCase.diff)) {
    // Between two consecutive context lines, so that the inserted line has an unambiguous place in the result.
    const pair = hunk.find(
      (entry, index) => index > 0 && entry.previousKind === ' ' && hunk[index - 1]!.oldIndex === entry.oldIndex - 1,
    );
    if (pair !== undefined) inserts.push({ oldIndex: pair.oldIndex, newIndex: pair.newIndex });
  }
  if (inserts.length === 0) return undefined;
  for (const insert of inserts.reverse()) {
    before.splice(insert.oldIndex, 0, `// inserted by a concurrent change${ending}`);
    after.splice(insert.newIndex, 0, `// inserted by a concurrent change${ending}`);
  }
  return { before: before.join(''), after: after.join('') };
}

/** Builds the perturbed input of a case, or undefined when the perturbation does not apply to it. */
export function perturb(testCase: DiffCase, perturbation: Perturbation): PerturbedCase | undefined {
  const base = { source: testCase.source, path: testCase.path, perturbation, baseContent: testCase.before };
  const ending = endingOf(testCase.before);
  const prefix = Array.from({ length: 9 }, (_, index) => `// added above by someone else ${index + 1}${ending}`).join(
    '',
  );
  switch (perturbation) {
    case 'none':
      return { ...base, fileContent: testCase.before, diff: testCase.diff, expected: testCase.after };
    case 'file-offset':
      return { ...base, fileContent: prefix + testCase.before, diff: testCase.diff, expected: prefix + testCase.after };
    case 'header-offset':
      return {
        ...base,
        fileContent: testCase.before,
        diff: mapHeaders(testCase.diff, ([oldStart, oldCount, newStart, newCount], rest) => {
          const shift = oldStart! > 20 ? -13 : 13;
          return `@@ -${oldStart! + shift},${oldCount} +${newStart! + shift},${newCount} @@${rest}`;
        }),
        expected: testCase.after,
      };
    case 'miscounted-header':
      return {
        ...base,
        fileContent: testCase.before,
        diff: mapHeaders(
          testCase.diff,
          ([oldStart, oldCount, newStart, newCount], rest) =>
            `@@ -${oldStart},${oldCount! + 2} +${newStart},${Math.max(0, newCount! - 1)} @@${rest}`,
        ),
        expected: testCase.after,
      };
    case 'indentation-shift': {
      const bodies = new Map<number, string[]>();
      mapHunkLines(testCase.diff, (kind, text, hunk) => {
        bodies.set(hunk, [...(bodies.get(hunk) ?? []), text]);
        return kind + text;
      });
      const diff = mapHunkLines(testCase.diff, (kind, text, hunk) => {
        if (text.trim() === '') return kind + text;
        const common = commonIndentation(bodies.get(hunk) ?? []);
        return common === '' ? `${kind}  ${text}` : kind + text.slice(common.length);
      });
      return { ...base, fileContent: testCase.before, diff, expected: testCase.after };
    }
    case 'context-whitespace': {
      const diff = mapHunkLines(testCase.diff, (kind, text) => {
        if (kind === '+') return kind + text;
        // A blank context line loses its leading space in transit; a removed blank line keeps its "-".
        if (text.trim() === '') return kind === ' ' ? '' : kind;
        const indentation = /^\s*/.exec(text)?.[0] ?? '';
        const rest = text.slice(indentation.length).replace(/ {2,}/g, ' ');
        return `${kind}${indentation.replace(/\t/g, '    ')}${rest}  `;
      });
      return { ...base, fileContent: testCase.before, diff, expected: testCase.after };
    }
    case 'context-drift-edit': {
      const drifted = driftEdit(testCase);
      return drifted && { ...base, fileContent: drifted.before, diff: testCase.diff, expected: drifted.after };
    }
    case 'context-drift-insert': {
      const drifted = driftInsert(testCase);
      return drifted && { ...base, fileContent: drifted.before, diff: testCase.diff, expected: drifted.after };
    }
    case 'combined': {
      const drifted = driftEdit(testCase);
      const whitespace = perturb(testCase, 'context-whitespace');
      if (drifted === undefined || whitespace === undefined) return undefined;
      return { ...base, fileContent: prefix + drifted.before, diff: whitespace.diff, expected: prefix + drifted.after };
    }
  }
}
