import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { findExecutable } from './find-executable.ts';

/** What a command's toolchain needs from the host, read-only, beyond the system directories. */
export interface ToolchainMounts {
  /** Directories (or single files) bound read-only at their own path. */
  paths: string[];
  /** Symbolic links recreated in the sandbox (e.g. `node_modules/.bin/node -> ../node/bin/node`). */
  links: Array<{ path: string; target: string }>;
}

/** Already visible in every sandbox: the system's own directories. */
export const systemDirectories = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'] as const;

/**
 * Entry points a command may reach without naming them: a Makefile target or a script of the repository can start
 * any of them, so they are resolved too when the command runs `make` or a script from the worktree.
 */
const runnerEntryPoints = ['node', 'python3', 'python', 'go', 'cargo', 'rustc'];

/** Toolchain managers that live in one directory each, often under the home: bound whole, never the home itself. */
const toolchainHomes: Array<{ variable: string; fallback?: string; with?: string[] }> = [
  { variable: 'PYENV_ROOT', fallback: '.pyenv' },
  { variable: 'CARGO_HOME', fallback: '.cargo', with: ['RUSTUP_HOME'] },
  { variable: 'RUSTUP_HOME', fallback: '.rustup', with: ['CARGO_HOME'] },
  { variable: 'NVM_DIR', fallback: '.nvm' },
  { variable: 'VOLTA_HOME', fallback: '.volta' },
  { variable: 'BUN_INSTALL', fallback: '.bun' },
  { variable: 'DENO_INSTALL', fallback: '.deno' },
  { variable: 'ASDF_DATA_DIR', fallback: '.asdf' },
  { variable: 'RBENV_ROOT', fallback: '.rbenv' },
  { variable: 'GOROOT', with: ['GOMODCACHE'] },
  { variable: 'GOMODCACHE' },
  { variable: 'VIRTUAL_ENV' },
  { variable: 'MISE_DATA_DIR', fallback: '.local/share/mise' },
  { variable: 'SDKMAN_DIR', fallback: '.sdkman' },
];

function within(parent: string, child: string): boolean {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The interpreter a `#!` line names: an absolute path, or a name `/usr/bin/env` looks up. */
function shebangOf(file: string): { path?: string; name?: string } | undefined {
  const buffer = Buffer.alloc(256);
  let read = 0;
  try {
    const descriptor = openSync(file, 'r');
    try {
      read = readSync(descriptor, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    return undefined;
  }
  const line = buffer.subarray(0, read).toString('utf8').split('\n')[0] ?? '';
  if (!line.startsWith('#!')) return undefined;
  const [interpreter, ...rest] = line.slice(2).trim().split(/\s+/);
  if (interpreter === undefined || interpreter === '') return undefined;
  if (basename(interpreter) === 'env') {
    const name = rest.find((word) => !word.startsWith('-') && !word.includes('='));
    return name === undefined ? undefined : { name };
  }
  return { path: interpreter };
}

/** Program names a shell command line starts (first word of each simple command, assignments skipped). */
export function commandWords(command: string): string[] {
  const words: string[] = [];
  for (const segment of command.split(/&&|\|\||[;|&\n()`]|\$\(/)) {
    const tokens = segment.trim().split(/\s+/);
    let index = 0;
    const skipped = (token: string) =>
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(token) || ['exec', 'env', 'time', 'nice', 'command'].includes(token);
    while (index < tokens.length && skipped(tokens[index]!)) index += 1;
    const word = tokens[index]?.replace(/^['"]|['"]$/g, '');
    if (word !== undefined && /^[A-Za-z0-9._+/-]+$/.test(word)) words.push(word);
  }
  return words;
}

/** The words of the worktree's package.json scripts, which `npm test` and friends run. */
function packageScriptWords(worktree: string): string[] {
  try {
    const scripts = (JSON.parse(readFileSync(join(worktree, 'package.json'), 'utf8')) as { scripts?: unknown }).scripts;
    if (typeof scripts !== 'object' || scripts === null) return [];
    return Object.values(scripts).flatMap((script) => (typeof script === 'string' ? commandWords(script) : []));
  } catch {
    return [];
  }
}

const packageRunners = new Set(['npm', 'npx', 'yarn', 'pnpm', 'bun']);

export interface ToolchainContext {
  /** PATH as the sandboxed command sees it. */
  searchPath: string;
  /** The worktree (already visible, read-write). */
  worktree: string;
  /** The host's home directory: never bound as a whole. */
  hostHome: string;
  /** The sandbox's environment (toolchain variables such as PYENV_ROOT, CARGO_HOME). */
  environment: Readonly<Record<string, string | undefined>>;
  /** Directories that must stay hidden (the orchestrator's data directory). */
  hiddenPaths: readonly string[];
}

/**
 * The host paths a command's toolchain needs, resolved from the binaries it starts (its first words, the runners'
 * usual interpreters, and every `#!` interpreter along the way), following symbolic links. A binary in a system
 * directory needs nothing more; one in a toolchain manager's directory (pyenv, cargo + rustup, nvm, a virtualenv…)
 * gets that directory; one in a `node_modules` package gets that package; any other gets its installation prefix
 * (`<prefix>/bin/<name>`) unless that prefix is or holds the home, the worktree, a hidden path or a project (a `.git` or
 * `.env` next to it), in which case only the file itself is bound.
 */
export function resolveToolchainMounts(command: string, context: ToolchainContext): ToolchainMounts {
  const paths = new Set<string>();
  const links = new Map<string, string>();
  const seen = new Set<string>();
  const home = resolve(context.hostHome);
  const homes = toolchainHomes.flatMap((entry) => {
    const configured = context.environment[entry.variable];
    const directory =
      configured !== undefined && configured !== ''
        ? configured
        : entry.fallback === undefined
          ? undefined
          : join(home, entry.fallback);
    return directory === undefined || !exists(directory) ? [] : [{ ...entry, directory: realpathSync(directory) }];
  });
  const visible = (path: string) =>
    systemDirectories.some((directory) => within(directory, path)) || within(context.worktree, path);
  const unsafeDirectory = (directory: string) =>
    directory === '/' ||
    within(directory, home) ||
    within(directory, context.worktree) ||
    context.hiddenPaths.some((hidden) => within(directory, hidden) || within(hidden, directory)) ||
    exists(join(directory, '.git')) ||
    exists(join(directory, '.env'));

  const addRoot = (file: string) => {
    const home = homes.find((entry) => within(entry.directory, file));
    if (home !== undefined) {
      paths.add(home.directory);
      for (const variable of home.with ?? []) {
        const companion = homes.find((entry) => entry.variable === variable);
        if (companion !== undefined) paths.add(companion.directory);
      }
      return;
    }
    const packageMatch = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (packageMatch !== null && !unsafeDirectory(packageMatch[1]!)) {
      paths.add(packageMatch[1]!);
      return;
    }
    const directory = dirname(file);
    const prefix = basename(directory) === 'bin' ? dirname(directory) : directory;
    paths.add(unsafeDirectory(prefix) ? file : prefix);
  };

  const visit = (start: string, depth: number) => {
    if (depth > 4 || seen.has(start)) return;
    seen.add(start);
    let current = start;
    for (let hop = 0; hop < 16; hop += 1) {
      let info: ReturnType<typeof lstatSync>;
      try {
        info = lstatSync(current);
      } catch {
        return;
      }
      if (!info.isSymbolicLink()) break;
      const target = readlinkSync(current);
      if (!visible(current)) links.set(current, target);
      current = resolve(dirname(current), target);
    }
    let file: string;
    try {
      file = realpathSync(current);
    } catch {
      return;
    }
    if (!visible(file)) addRoot(file);
    const interpreter = shebangOf(file);
    if (interpreter?.path !== undefined) visit(interpreter.path, depth + 1);
    if (interpreter?.name !== undefined) {
      const found = findExecutable(interpreter.name, context.searchPath);
      if (found !== undefined) visit(found, depth + 1);
    }
  };

  const commandLine = commandWords(command);
  const words = commandLine.some((word) => packageRunners.has(word))
    ? [...commandLine, ...packageScriptWords(context.worktree)]
    : commandLine;
  const opaque = words.some((word) => word === 'make' || word.includes('/'));
  for (const word of opaque ? [...words, ...runnerEntryPoints] : words) {
    const found = word.includes('/') ? resolve(context.worktree, word) : findExecutable(word, context.searchPath);
    if (found !== undefined) visit(found, 0);
  }
  const sortedPaths = [...paths].sort();
  // A path inside another bound path needs no bind of its own; a link inside a bound path is already there.
  const roots = sortedPaths.filter((path) => !sortedPaths.some((other) => other !== path && within(other, path)));
  return {
    paths: roots,
    links: [...links]
      .filter(([path]) => !roots.some((root) => within(root, path)))
      .map(([path, target]) => ({ path, target })),
  };
}
