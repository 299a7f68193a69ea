import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DiffCase } from './diff-perturbations.ts';

const textFile = /\.(?:[cm]?[jt]s|d\.ts|tsx|jsx|md|json|css|html|ya?ml|py|rs|go|sh)$/;

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** `git diff` (git dialect, with blob ids) turning `before` into `after`, with `a/<path>` and `b/<path>` headers. */
export function gitDiffOfContents(filePath: string, before: string, after: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'diff-corpus-'));
  try {
    mkdirSync(path.join(directory, 'old', path.dirname(filePath)), { recursive: true });
    mkdirSync(path.join(directory, 'new', path.dirname(filePath)), { recursive: true });
    writeFileSync(path.join(directory, 'old', filePath), before);
    writeFileSync(path.join(directory, 'new', filePath), after);
    let diff = '';
    try {
      git(directory, ['diff', '--no-index', '--no-color', '--no-ext-diff', `old/${filePath}`, `new/${filePath}`]);
    } catch (error) {
      diff = String((error as { stdout?: string }).stdout ?? '');
    }
    return diff.split('a/old/').join('a/').split('b/new/').join('b/');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function isUsable(before: string, after: string, maximumBytes: number): boolean {
  return (
    before !== after &&
    !before.includes('\0') &&
    before.length <= maximumBytes &&
    after.length <= maximumBytes &&
    before.length > 0
  );
}

/** Modifications of text files in a repository's own history (oldest first), one case per file and commit. */
export function collectHistoryCases(repository: string, maximumCases: number, maximumBytes = 200_000): DiffCase[] {
  const cases: DiffCase[] = [];
  const commits = git(repository, ['log', '--reverse', '--no-merges', '--format=%H', '--diff-filter=M'])
    .split('\n')
    .filter(Boolean);
  for (const commit of commits) {
    const paths = git(repository, ['diff-tree', '--no-commit-id', '-r', '--diff-filter=M', '--name-only', commit])
      .split('\n')
      .filter((name) => textFile.test(name) && !name.endsWith('package-lock.json'));
    for (const filePath of paths) {
      const before = git(repository, ['show', `${commit}^:${filePath}`]);
      const after = git(repository, ['show', `${commit}:${filePath}`]);
      if (!isUsable(before, after, maximumBytes)) continue;
      const diff = git(repository, ['diff', '--no-color', '--no-ext-diff', `${commit}^`, commit, '--', filePath]);
      cases.push({ source: `history ${commit.slice(0, 10)}`, path: filePath, before, after, diff });
      if (cases.length >= maximumCases) return cases;
    }
  }
  return cases;
}

function listFiles(directory: string, relative = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(directory, relative), { withFileTypes: true })) {
    const name = path.posix.join(relative, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...listFiles(directory, name));
    else if (entry.isFile() && textFile.test(entry.name)) files.push(name);
  }
  return files.sort();
}

function packageVersion(directory: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Real upstream changes: the same file in two installed versions of a package (a nested copy and the top-level one). */
export function collectPackageVersionCases(
  nodeModules: string,
  maximumCases: number,
  maximumBytes = 200_000,
): DiffCase[] {
  const cases: DiffCase[] = [];
  const seen = new Set<string>();
  const nested: string[] = [];
  const visit = (directory: string, depth: number) => {
    if (depth > 3 || !existsSync(directory)) return;
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const child = path.join(directory, entry.name);
      if (entry.name.startsWith('@')) visit(child, depth);
      else if (existsSync(path.join(child, 'node_modules'))) nested.push(path.join(child, 'node_modules'));
    }
  };
  visit(nodeModules, 0);
  for (const nestedModules of nested.sort()) {
    const names = readdirSync(nestedModules).flatMap((name) =>
      name.startsWith('@') ? readdirSync(path.join(nestedModules, name)).map((inner) => `${name}/${inner}`) : [name],
    );
    for (const name of names.sort()) {
      const older = path.join(nestedModules, name);
      const newer = path.join(nodeModules, name);
      const olderVersion = packageVersion(older);
      const newerVersion = packageVersion(newer);
      if (olderVersion === undefined || newerVersion === undefined || olderVersion === newerVersion) continue;
      const key = `${name}@${olderVersion}->${newerVersion}`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const filePath of listFiles(older)) {
        const newerFile = path.join(newer, filePath);
        if (!existsSync(newerFile) || filePath === 'package.json') continue;
        if (statSync(newerFile).size > maximumBytes) continue;
        const before = readFileSync(path.join(older, filePath), 'utf8');
        const after = readFileSync(newerFile, 'utf8');
        if (!isUsable(before, after, maximumBytes)) continue;
        cases.push({
          source: `${key}`,
          path: `${name}/${filePath}`,
          before,
          after,
          diff: gitDiffOfContents(`${name}/${filePath}`, before, after),
        });
        if (cases.length >= maximumCases) return cases;
      }
    }
  }
  return cases;
}

/** Small deterministic pseudo-random generator (mulberry32), so the generated corpus is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Edits a source file the way a developer would: a renamed identifier, inserted lines, deleted lines, at 2–4 places. */
export function generateVariant(source: string, random: () => number): string {
  const lines = source.split('\n');
  const sites = 2 + Math.floor(random() * 3);
  const chosen = new Set<number>();
  for (let attempt = 0; attempt < 40 && chosen.size < sites; attempt++) {
    const index = 3 + Math.floor(random() * Math.max(1, lines.length - 6));
    if ([...chosen].every((other) => Math.abs(other - index) > 12) && lines[index]?.trim()) chosen.add(index);
  }
  for (const index of [...chosen].sort((first, second) => second - first)) {
    const line = lines[index]!;
    const indentation = /^\s*/.exec(line)?.[0] ?? '';
    const operation = Math.floor(random() * 3);
    if (operation === 0) {
      const renamed = line.replace(/[A-Za-z_][A-Za-z0-9_]{2,}/, (word) => `${word}Renamed`);
      lines[index] = renamed === line ? `${line} // changed` : renamed;
    } else if (operation === 1) {
      const count = 1 + Math.floor(random() * 3);
      lines.splice(
        index,
        0,
        ...Array.from({ length: count }, (_, offset) => `${indentation}// added note ${index}.${offset}`),
      );
    } else {
      lines.splice(index, 1 + Math.floor(random() * 3));
    }
  }
  return lines.join('\n');
}

/** Generated edits on sources of installed packages: real code, realistic multi-hunk changes. */
export function collectGeneratedCases(
  nodeModules: string,
  packages: readonly string[],
  maximumCases: number,
  seed = 7,
): DiffCase[] {
  const random = seededRandom(seed);
  const cases: DiffCase[] = [];
  for (const name of packages) {
    const directory = path.join(nodeModules, name);
    if (!existsSync(directory)) continue;
    const files = listFiles(directory).filter((file) => /\.(?:[cm]?js|ts)$/.test(file) && !file.endsWith('.min.js'));
    for (const filePath of files) {
      const before = readFileSync(path.join(directory, filePath), 'utf8');
      if (before.length < 1500 || before.length > 80_000 || before.includes('\0')) continue;
      const after = generateVariant(before, random);
      if (before === after) continue;
      cases.push({
        source: `generated from ${name}`,
        path: `${name}/${filePath}`,
        before,
        after,
        diff: gitDiffOfContents(`${name}/${filePath}`, before, after),
      });
      if (cases.length >= maximumCases) return cases;
      if (
        cases.filter((entry) => entry.source === `generated from ${name}`).length >=
        Math.ceil(maximumCases / packages.length)
      )
        break;
    }
  }
  return cases;
}
