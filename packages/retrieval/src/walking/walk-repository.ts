import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Which files the index takes in. */
export interface FileSelectionOptions {
  /** Files larger than this are skipped as huge (default 512 KiB). */
  maxFileBytes: number;
  /** Gitignore-style patterns applied at the repository root: vendored and generated files by default. Credential files (`credentialFilePatterns`) are skipped in any case. */
  exclude: readonly string[];
  /** Honour `.gitignore` files and `.git/info/exclude` (default true). */
  respectGitignore: boolean;
}

/** Vendored directories, build output and generated files, skipped unless configured otherwise. */
export const defaultExcludePatterns: readonly string[] = [
  '.git/',
  'node_modules/',
  'vendor/',
  'third_party/',
  'bower_components/',
  '.venv/',
  'venv/',
  '__pycache__/',
  'dist/',
  'build/',
  'coverage/',
  'target/',
  '.next/',
  '*.min.js',
  '*.min.css',
  '*.map',
  '*.lock',
  'package-lock.json',
  'pnpm-lock.yaml',
  'go.sum',
  '*.pb.go',
  '*_pb2.py',
  '*.generated.*',
  '*.snap',
];

/** Credential files: always skipped, whatever the configuration, since chunks end up in prompts. */
export const credentialFilePatterns: readonly string[] = [
  '.env',
  '.env.*',
  '!.env.example',
  '*.pem',
  '*.key',
  '*.p12',
  'id_rsa*',
  'id_ed25519*',
];

export const defaultFileSelection: FileSelectionOptions = {
  maxFileBytes: 512 * 1024,
  exclude: defaultExcludePatterns,
  respectGitignore: true,
};

/** A file the walk selected. */
export interface WalkedFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  absolutePath: string;
  size: number;
  mtimeMs: number;
}

/** The files selected, and how many were left out and why. */
export interface WalkResult {
  files: WalkedFile[];
  skipped: { ignored: number; tooLarge: number };
}

interface IgnoreLevel {
  /** Directory of the ignore file, relative to the root, '' or ending with '/'. */
  directory: string;
  rules: Ignore;
}

function readIgnoreFile(path: string): string | undefined {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function isIgnored(levels: readonly IgnoreLevel[], relativePath: string): boolean {
  let ignored = false;
  for (const level of levels) {
    const result = level.rules.test(relativePath.slice(level.directory.length));
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

/** Lists the repository's files that belong in the index: not ignored, not vendored or generated, not huge. */
export function walkRepository(root: string, options: FileSelectionOptions = defaultFileSelection): WalkResult {
  const files: WalkedFile[] = [];
  const skipped = { ignored: 0, tooLarge: 0 };
  const rootLevel: IgnoreLevel = { directory: '', rules: ignore().add(['.git/', ...options.exclude]) };
  if (options.respectGitignore) {
    const exclude = readIgnoreFile(join(root, '.git', 'info', 'exclude'));
    if (exclude !== undefined) rootLevel.rules.add(exclude);
  }

  const credentials = ignore().add([...credentialFilePatterns]);
  const isExcluded = (levels: readonly IgnoreLevel[], relativePath: string) =>
    isIgnored(levels, relativePath) || credentials.ignores(relativePath);

  const visit = (directory: string, levels: readonly IgnoreLevel[]): void => {
    let current = levels;
    if (options.respectGitignore) {
      const gitignore = readIgnoreFile(join(root, directory, '.gitignore'));
      if (gitignore !== undefined) current = [...levels, { directory, rules: ignore().add(gitignore) }];
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, directory), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    for (const entry of entries) {
      const name = entry.name;
      const relativePath = `${directory}${name}`;
      if (entry.isDirectory()) {
        if (name === '.git' || isExcluded(current, `${relativePath}/`)) skipped.ignored += 1;
        else visit(`${relativePath}/`, current);
        continue;
      }
      if (!entry.isFile()) continue;
      if (isExcluded(current, relativePath)) {
        skipped.ignored += 1;
        continue;
      }
      const absolutePath = join(root, relativePath);
      const stats = statSync(absolutePath, { throwIfNoEntry: false });
      if (stats === undefined) continue;
      if (stats.size > options.maxFileBytes) {
        skipped.tooLarge += 1;
        continue;
      }
      files.push({ path: relativePath, absolutePath, size: stats.size, mtimeMs: stats.mtimeMs });
    }
  };
  visit('', [rootLevel]);
  return { files, skipped };
}

/** Why a file's content keeps it out of the index, or undefined when it belongs in. */
export function contentSkipReason(content: Buffer): 'binary' | 'generated' | undefined {
  const head = content.subarray(0, 8000);
  if (head.includes(0)) return 'binary';
  const headText = head.subarray(0, 1024).toString('utf8');
  if (/@generated|DO NOT EDIT|Code generated .* DO NOT EDIT|auto-generated/i.test(headText)) return 'generated';
  if (content.length > 4096) {
    let newlines = 0;
    for (const byte of head) if (byte === 10) newlines += 1;
    if (newlines < head.length / 500) return 'generated';
  }
  return undefined;
}
