import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '@orchestrator/spec';
import { resolveDataDir } from './data-dir.ts';

/** The files of a workspace that can configure the orchestrator (and so are untrusted until the user trusts them). */
export const configFileNames = [
  'orchestrator.config.json',
  'orchestrator.config.yaml',
  'orchestrator.config.yml',
  'orchestrator.config.ts',
  'orchestrator.config.mjs',
  'orchestrator.config.js',
] as const;
export const settingsFileNames: readonly string[] = [...configFileNames, '.env'];

/** One trusted workspace, as recorded in the user's trust file. */
export interface TrustRecord {
  /** Real path of the workspace directory (symbolic links resolved). */
  path: string;
  /** When the user trusted it (ISO 8601). */
  trustedAt: string;
  /** SHA-256 of each settings file present when it was trusted; a change to any of them needs trust again. */
  files: Record<string, string>;
}

/** How far a workspace is trusted now. */
export type TrustState = 'trusted' | 'untrusted' | 'changed';

export interface WorkspaceTrustStatus {
  /** Real path of the workspace. */
  path: string;
  state: TrustState;
  /** The record, when the user trusted this workspace at some point. */
  record?: TrustRecord;
  /** For `changed`: the settings files added, removed or edited since the user trusted the workspace. */
  changedFiles: string[];
}

interface TrustFile {
  version: 1;
  workspaces: TrustRecord[];
}

/**
 * Where trust is recorded: `trusted-workspaces.json` in the orchestrator home that the user's own environment names
 * (ORCHESTRATOR_HOME, else XDG_DATA_HOME/orchestrator, else ~/.local/share/orchestrator) — never in the repository, and
 * never moved by a repository's config or `.env`.
 */
export function trustFilePath(userEnv: NodeJS.ProcessEnv): string {
  return join(resolveDataDir(undefined, userEnv, process.cwd()), 'trusted-workspaces.json');
}

/** The real path of a directory (its resolved path when it does not exist). */
export function workspacePath(directory: string): string {
  try {
    return realpathSync(directory);
  } catch {
    return resolve(directory);
  }
}

/** SHA-256 of every settings file present in the workspace, by file name. */
export function settingsFingerprint(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of settingsFileNames) {
    const file = join(directory, name);
    if (existsSync(file)) files[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return files;
}

function isRecord(value: unknown): value is TrustRecord {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.path === 'string' &&
    typeof record.trustedAt === 'string' &&
    record.files !== null &&
    typeof record.files === 'object' &&
    Object.values(record.files as object).every((hash) => typeof hash === 'string')
  );
}

function readTrustFile(file: string): TrustFile {
  if (!existsSync(file)) return { version: 1, workspaces: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError({
      code: 'trust-file-unreadable',
      message: `The trust file ${file} is not valid JSON: ${(error as Error).message}`,
      hint: `Fix or delete ${file}, then trust your repositories again with: orchestrator trust --repo <path>`,
      cause: error,
    });
  }
  const workspaces = (parsed as { workspaces?: unknown }).workspaces;
  if (!Array.isArray(workspaces) || !workspaces.every(isRecord)) {
    throw new UserError({
      code: 'trust-file-unreadable',
      message: `The trust file ${file} does not hold a list of trusted workspaces.`,
      hint: `Fix or delete ${file}, then trust your repositories again with: orchestrator trust --repo <path>`,
    });
  }
  return { version: 1, workspaces };
}

/** Writes the trust file readable by the user only, atomically. */
function writeTrustFile(file: string, content: TrustFile): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

function changedFiles(recorded: Record<string, string>, current: Record<string, string>): string[] {
  const names = new Set([...Object.keys(recorded), ...Object.keys(current)]);
  return [...names].filter((name) => recorded[name] !== current[name]).sort();
}

/** Whether the user trusts the workspace with its current settings files. */
export function workspaceTrustStatus(directory: string, userEnv: NodeJS.ProcessEnv): WorkspaceTrustStatus {
  const path = workspacePath(directory);
  const record = readTrustFile(trustFilePath(userEnv)).workspaces.find((entry) => entry.path === path);
  if (record === undefined) return { path, state: 'untrusted', changedFiles: [] };
  const changed = changedFiles(record.files, settingsFingerprint(path));
  return { path, state: changed.length === 0 ? 'trusted' : 'changed', record, changedFiles: changed };
}

/** Records that the user trusts the workspace as its settings files are now; replaces an earlier record. */
export function trustWorkspace(directory: string, userEnv: NodeJS.ProcessEnv, now = new Date()): TrustRecord {
  const path = workspacePath(directory);
  const file = trustFilePath(userEnv);
  const content = readTrustFile(file);
  const record: TrustRecord = { path, trustedAt: now.toISOString(), files: settingsFingerprint(path) };
  writeTrustFile(file, {
    version: 1,
    workspaces: [...content.workspaces.filter((entry) => entry.path !== path), record].sort((a, b) =>
      a.path.localeCompare(b.path),
    ),
  });
  return record;
}

/** Forgets the workspace; returns false when it was not trusted. */
export function revokeWorkspaceTrust(directory: string, userEnv: NodeJS.ProcessEnv): boolean {
  const path = workspacePath(directory);
  const file = trustFilePath(userEnv);
  const content = readTrustFile(file);
  const kept = content.workspaces.filter((entry) => entry.path !== path);
  if (kept.length === content.workspaces.length) return false;
  writeTrustFile(file, { version: 1, workspaces: kept });
  return true;
}

/** Every trusted workspace with its state now (`changed` when its settings files changed since). */
export function listTrustedWorkspaces(userEnv: NodeJS.ProcessEnv): WorkspaceTrustStatus[] {
  return readTrustFile(trustFilePath(userEnv)).workspaces.map((record) => {
    const changed = changedFiles(record.files, settingsFingerprint(record.path));
    return { path: record.path, state: changed.length === 0 ? 'trusted' : 'changed', record, changedFiles: changed };
  });
}
