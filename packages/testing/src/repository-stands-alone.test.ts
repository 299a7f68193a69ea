// The repository stands alone: no source, test, bench or script reaches a path outside the repository root (a clone
// has nothing beside it). Every relative path literal is resolved against the file that holds it (and, for literals
// joined to the working directory, against the root); any that lands outside the root, and any absolute path into the
// workplace, fails this test with the file and line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], {
  cwd: import.meta.dirname,
  encoding: 'utf8',
}).trim();

function trackedSources(): string[] {
  const listed = execFileSync(
    'git',
    ['ls-files', '-co', '--exclude-standard', '--', '*.ts', '*.tsx', '*.mjs', '*.js', '*.cjs', '*.json', '*.sh'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const own = ['.ci/run'];
  return [...listed.split('\n').filter((path) => path !== '' && !path.includes('/fixtures/')), ...own];
}

interface Violation {
  file: string;
  line: number;
  literal: string;
  resolved: string;
}

const relativeLiteral = /(['"`])((?:\.\.?\/)*\.\.(?:\/[^'"`\s$]*)?)\1/g;
const workplaceLiteral = /(['"`])(\/work\/[^'"`\s]*|[^'"`\s]*shared\/fixtures[^'"`\s]*)\1/g;

function outside(path: string): boolean {
  const fromRoot = relative(root, path);
  return fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || resolve(path) === resolve(root, '..');
}

export function findOutsideReads(files: readonly string[], readText: (file: string) => string): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const lines = readText(file).split('\n');
    lines.forEach((text, index) => {
      for (const match of text.matchAll(relativeLiteral)) {
        const literal = match[2]!;
        const fromFile = resolve(dirname(join(root, file)), literal);
        // A literal joined to the working directory (scripts run from the root) is resolved there as well.
        const fromRoot = resolve(root, literal);
        if (outside(fromFile) && outside(fromRoot)) {
          violations.push({ file, line: index + 1, literal, resolved: fromFile });
        }
      }
      for (const match of text.matchAll(workplaceLiteral)) {
        violations.push({ file, line: index + 1, literal: match[2]!, resolved: match[2]! });
      }
    });
  }
  return violations;
}

describe('the repository stands alone', () => {
  it('has no path in any source, test, bench or script that leaves the repository root', () => {
    const files = trackedSources();
    expect(files.length).toBeGreaterThan(100);
    const self = relative(root, import.meta.filename);
    const violations = findOutsideReads(
      files.filter((file) => file !== self),
      (file) => readFileSync(join(root, file), 'utf8'),
    );
    expect(violations.map((v) => `${v.file}:${v.line} ${v.literal} -> ${v.resolved}`)).toEqual([]);
  });

  it('catches the path that used to read the fixtures beside the repository', () => {
    // The line cassette.ts used to hold, built here so that this file itself names no outside folder.
    const outsideFolder = [...Array(5).fill('..'), 'sha' + 'red', 'fixtures', 'llm'].join('/');
    const planted = `export const dir = resolve(import.meta.dirname, '${outsideFolder}');`;
    const violations = findOutsideReads(['packages/testing/src/replay-server/cassette.ts'], () => planted);
    expect(violations).toHaveLength(2);
    expect(findOutsideReads(['packages/testing/src/x.ts'], () => "import { y } from '../../kernel/src/y.ts';")).toEqual(
      [],
    );
  });
});
