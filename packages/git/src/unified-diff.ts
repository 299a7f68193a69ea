import { parsePatch } from 'diff';
import type { Hunk, HunkLine } from './hunk-application.ts';

/** One file's part of a unified diff, ready to apply. */
export interface FilePatch {
  operation: 'modify' | 'create' | 'delete' | 'rename';
  /** Path before the change (absent for a creation). */
  oldPath?: string;
  /** Path after the change (absent for a deletion). */
  newPath?: string;
  hunks: Hunk[];
  binary: boolean;
  /** Git file mode after the change, e.g. `100755`. */
  newMode?: string;
}

export type ParsedDiff = { ok: true; patches: FilePatch[] } | { ok: false; message: string };

const hunkHeader = /^@@+ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@+(.*)$/;
const looseHunkHeader = /^@@+(?:\s.*)?$/;

function isFileBoundary(lines: readonly string[], index: number): boolean {
  const line = lines[index]!;
  if (line.startsWith('diff ') || line.startsWith('Index: ') || line.startsWith('@@')) return true;
  // The signature `git format-patch` appends ("-- " then the git version) is not a removed line.
  if (line === '-- ' && /^\d+\.\d+/.test(lines[index + 1] ?? '')) return true;
  return line.startsWith('--- ') && (lines[index + 1]?.startsWith('+++ ') ?? false);
}

/**
 * Rewrites hunk headers with the line counts the bodies really have (model-written diffs often miscount), turns
 * lines inside a hunk that lost their leading space (blank lines whose space was stripped in transit, context a model
 * forgot to prefix) into context lines, drops such lines where they end a hunk, and gives header-less hunks (`@@ @@`)
 * a position of 1 so they are searched for in the whole file.
 */
export function recountHunks(diff: string): string {
  const lines = diff.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const output: string[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    if (line === '-- ' && /^\d+\.\d+/.test(lines[index + 1] ?? '')) {
      index += 2;
      continue;
    }
    const header = hunkHeader.exec(line);
    if (header === null && !looseHunkHeader.test(line)) {
      output.push(line);
      index++;
      continue;
    }
    index++;
    const body: string[] = [];
    let trailingLoose = 0;
    while (index < lines.length && !isFileBoundary(lines, index)) {
      const bodyLine = lines[index]!;
      if (/^[ +\-\\]/.test(bodyLine)) {
        body.push(bodyLine);
        trailingLoose = 0;
      } else {
        // A context line that lost its leading space (blank, or text a model forgot to prefix).
        body.push(` ${bodyLine}`);
        trailingLoose++;
      }
      index++;
    }
    // Unprefixed lines ending a hunk are as likely separators or prose as context; dropping context is harmless.
    body.splice(body.length - trailingLoose, trailingLoose);
    const oldCount = body.filter((bodyLine) => bodyLine[0] === ' ' || bodyLine[0] === '-').length;
    const newCount = body.filter((bodyLine) => bodyLine[0] === ' ' || bodyLine[0] === '+').length;
    let oldStart = header === null ? 1 : Number(header[1]);
    let newStart = header === null ? 1 : Number(header[3]);
    const declaredOld = header === null ? 1 : header[2] === undefined ? 1 : Number(header[2]);
    const declaredNew = header === null ? 1 : header[4] === undefined ? 1 : Number(header[4]);
    // With a count of 0 the start names the line before the hunk; keep positions consistent when counts change.
    if (declaredOld === 0 && oldCount > 0) oldStart += 1;
    if (declaredOld > 0 && oldCount === 0) oldStart = Math.max(0, oldStart - 1);
    if (declaredNew === 0 && newCount > 0) newStart += 1;
    if (declaredNew > 0 && newCount === 0) newStart = Math.max(0, newStart - 1);
    const rest = header === null ? '' : (header[5] ?? '');
    output.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${rest}`, ...body);
  }
  return `${output.join('\n')}\n`;
}

/** Decodes a path git quoted C-style (`"caf\\303\\251.txt"`): escapes and octal UTF-8 bytes. */
export function unquoteGitPath(quoted: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, a: 7, v: 11, '\\': 92, '"': 34 };
  const body = quoted.slice(1, -1);
  for (let index = 0; index < body.length; index++) {
    const character = body[index]!;
    if (character !== '\\') {
      bytes.push(...Buffer.from(character, 'utf8'));
      continue;
    }
    const next = body[index + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(body.slice(index + 1));
    if (octal !== null) {
      bytes.push(Number.parseInt(octal[0], 8));
      index += 3;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function stripPrefix(name: string | undefined, prefix: string, strip: boolean): string | undefined {
  if (name === undefined || name === '/dev/null') return undefined;
  const unquoted = name.startsWith('"') && name.endsWith('"') ? unquoteGitPath(name) : name;
  return strip && unquoted.startsWith(prefix) ? unquoted.slice(prefix.length) : unquoted;
}

function toHunk(lines: readonly string[], oldStart: number): Hunk {
  const hunkLines: HunkLine[] = [];
  let newEndsWithoutNewline = false;
  let oldEndsWithoutNewline = false;
  for (const line of lines) {
    if (line.startsWith('\\')) {
      const previous = hunkLines.at(-1);
      if (previous?.kind !== '-') newEndsWithoutNewline = true;
      if (previous?.kind !== '+') oldEndsWithoutNewline = true;
      continue;
    }
    hunkLines.push({ kind: line[0] as HunkLine['kind'], text: line.slice(1) });
  }
  const firstChange = hunkLines.findIndex((line) => line.kind !== ' ');
  const leading = firstChange === -1 ? hunkLines.length : firstChange;
  const trailing = hunkLines.length - 1 - hunkLines.findLastIndex((line) => line.kind !== ' ');
  let anchor: Hunk['anchor'];
  if (firstChange !== -1 && leading > 0 && trailing === 0) anchor = 'end';
  else if (firstChange !== -1 && oldStart <= 1 && leading === 0 && trailing > 0) anchor = 'start';
  return {
    lines: hunkLines,
    expectedStart: Math.max(0, oldStart - 1),
    ...(anchor === undefined ? {} : { anchor }),
    ...(newEndsWithoutNewline ? { newEndsWithoutNewline } : {}),
    ...(oldEndsWithoutNewline ? { oldEndsWithoutNewline } : {}),
  };
}

/** Parses a unified diff (plain or git dialect) into per-file patches, repairing miscounted hunk headers first. */
export function parseUnifiedDiff(diff: string): ParsedDiff {
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(recountHunks(diff));
  } catch (error) {
    return { ok: false, message: `the diff could not be parsed: ${(error as Error).message}` };
  }
  const patches: FilePatch[] = [];
  for (const structured of parsed) {
    const bothPrefixed =
      (structured.oldFileName?.startsWith('a/') ?? true) && (structured.newFileName?.startsWith('b/') ?? true);
    const strip = structured.isGit === true || bothPrefixed;
    const oldPath = stripPrefix(structured.oldFileName, 'a/', strip);
    const newPath = stripPrefix(structured.newFileName, 'b/', strip);
    if (oldPath === undefined && newPath === undefined) {
      if (structured.hunks.length === 0) continue;
      return { ok: false, message: 'a hunk has no file header (--- a/<path> / +++ b/<path>)' };
    }
    let operation: FilePatch['operation'] = 'modify';
    if (structured.isCreate === true || oldPath === undefined) operation = 'create';
    else if (structured.isDelete === true || newPath === undefined) operation = 'delete';
    else if (structured.isRename === true || (oldPath !== newPath && structured.isCopy !== true)) operation = 'rename';
    const hunks = structured.hunks.map((hunk) => toHunk(hunk.lines, hunk.oldStart));
    const patch: FilePatch = { operation, hunks, binary: structured.isBinary === true };
    if (operation !== 'create' && oldPath !== undefined) patch.oldPath = oldPath;
    if (operation !== 'delete' && newPath !== undefined) patch.newPath = newPath;
    if (operation === 'modify' && oldPath !== undefined) patch.newPath = oldPath;
    if (structured.newMode !== undefined) patch.newMode = structured.newMode;
    patches.push(patch);
  }
  if (patches.length === 0)
    return { ok: false, message: 'the diff names no file (expected --- a/<path> and +++ b/<path>)' };
  return { ok: true, patches };
}
