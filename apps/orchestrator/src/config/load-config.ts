import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Config, type ConfigInput, configSchema, UserError } from '@orchestrator/spec';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { resolveDataDir } from './data-dir.ts';
import { formatSchemaIssues } from './format-issues.ts';
import { formatTrustNotice, trustCommandFor, type WorkspaceTrustReport } from './trust-notice.ts';
import { type IgnoredSetting, restrictUntrustedConfig, restrictUntrustedEnv } from './untrusted-settings.ts';
import { configFileNames, type WorkspaceTrustStatus, workspaceTrustStatus } from './workspace-trust.ts';

export { configFileNames } from './workspace-trust.ts';

export interface LoadedConfig {
  /** Validated configuration with defaults applied and environment overrides merged. */
  config: Config;
  /** The config file used, if any. */
  configFile: string | undefined;
  /** Absolute data directory. */
  dataDir: string;
  /** Environment after merging `.env` files (process env wins; untrusted `.env` files contribute MAX_USD only). */
  env: NodeJS.ProcessEnv;
  /** What workspace trust let through and what it ignored (`orchestrator trust`). */
  trust: WorkspaceTrustReport;
}

/** Modules run code when loaded: they are imported only from a trusted workspace or a file the user named. */
const isCodeConfig = (file: string) => /\.(m?[jt]s|cjs)$/.test(file);

/**
 * Reads `.env` from the working directory and the repository; real environment variables take precedence. A `.env` in
 * a workspace the user has not trusted contributes only what `restrictUntrustedEnv` allows.
 */
function loadEnvironment(
  workspaces: readonly WorkspaceTrustStatus[],
  processEnv: NodeJS.ProcessEnv,
  ignored: IgnoredSetting[],
): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = {};
  for (const workspace of workspaces) {
    const file = join(workspace.path, '.env');
    if (!existsSync(file)) continue;
    const variables = parseDotenv(readFileSync(file));
    if (workspace.state === 'trusted') Object.assign(merged, variables);
    else {
      const restricted = restrictUntrustedEnv(variables, file);
      Object.assign(merged, restricted.env);
      ignored.push(...restricted.ignored);
    }
  }
  return { ...merged, ...processEnv };
}

async function readConfigFile(file: string): Promise<unknown> {
  const text = readFileSync(file, 'utf8');
  try {
    if (file.endsWith('.json')) return JSON.parse(text);
    if (file.endsWith('.yaml') || file.endsWith('.yml')) return parseYaml(text) ?? {};
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return module.default ?? {};
  } catch (error) {
    throw new UserError({
      code: 'config-unreadable',
      message: `Cannot parse ${file}: ${(error as Error).message}`,
      hint: 'Fix the syntax of the file (JSON, YAML, or a module whose default export is the configuration object).',
      details: { file },
      cause: error,
    });
  }
}

/**
 * The configuration file to read: the one the user named in ORCHESTRATOR_CONFIG (trusted: the user chose it), else the
 * first `orchestrator.config.*` of the repository — not imported when it is a module and the repository is untrusted.
 */
function chooseConfigFile(
  root: string,
  repository: WorkspaceTrustStatus,
  processEnv: NodeJS.ProcessEnv,
  ignored: IgnoredSetting[],
): { file: string | undefined; trusted: boolean } {
  const named = processEnv.ORCHESTRATOR_CONFIG;
  if (named !== undefined && named !== '') {
    const file = isAbsolute(named) ? named : resolve(process.cwd(), named);
    if (!existsSync(file)) {
      throw new UserError({
        code: 'config-not-found',
        message: `ORCHESTRATOR_CONFIG names ${file}, which does not exist.`,
        hint: "Point ORCHESTRATOR_CONFIG at your configuration file, or unset it to use the repository's.",
        details: { file },
      });
    }
    return { file, trusted: true };
  }
  const trusted = repository.state === 'trusted';
  for (const name of configFileNames) {
    const file = join(root, name);
    if (!existsSync(file)) continue;
    if (trusted || !isCodeConfig(file)) return { file, trusted };
    ignored.push({ file, key: 'the whole file', reason: 'not loaded: code from an untrusted repository never runs' });
  }
  return { file: undefined, trusted };
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UserError({
      code: 'config-invalid',
      message: `Environment variable ${name}=${JSON.stringify(raw)} is not a positive number.`,
      hint: `Set ${name} to a positive number of US dollars, e.g. ${name}=2.50, or unset it.`,
      details: { variable: name },
    });
  }
  return value;
}

/**
 * Loads `orchestrator.config.*` from the repository, then applies environment overrides
 * (`MAX_USD`, `DATABASE_URL`, `ORCHESTRATOR_HOME`, provider base URLs), then validates.
 *
 * Workspace trust: the repository's config and `.env` (and the working directory's `.env`) are untrusted until the
 * user runs `orchestrator trust` on that directory (recorded outside it, bound to the files' content). Untrusted, they
 * may set roles, limits and a budget, but not endpoints, credentials, the data directory, the database, the sandbox,
 * the forge target or prices, and a config module is never imported. What was ignored is in `trust` and, unless
 * `onNotice` says otherwise, printed on stderr. The user's environment and ORCHESTRATOR_CONFIG are always trusted.
 */
export async function loadConfig(
  repoDir: string,
  processEnv: NodeJS.ProcessEnv = process.env,
  overrides: { maxUsd?: number; onNotice?: (notice: string) => void } = {},
): Promise<LoadedConfig> {
  const root = resolve(repoDir);
  const repository = workspaceTrustStatus(root, processEnv);
  const workingDirectory = workspaceTrustStatus(process.cwd(), processEnv);
  const ignored: IgnoredSetting[] = [];
  const workspaces = workingDirectory.path === repository.path ? [repository] : [workingDirectory, repository];
  const env = loadEnvironment(workspaces, processEnv, ignored);
  const chosen = chooseConfigFile(root, repository, processEnv, ignored);
  const configFile = chosen.file;
  const raw = configFile ? await readConfigFile(configFile) : {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError({
      code: 'config-invalid',
      message: `${configFile} must contain an object at the top level.`,
      hint: 'Write the configuration as a mapping, e.g. { "limits": { "maxTurns": 8 } }.',
      details: { file: configFile },
    });
  }
  // The whole file is validated (a typo is reported even in a key that trust would drop), then restricted.
  const validated = configSchema.safeParse(raw);
  const restricted =
    validated.success && !chosen.trusted && configFile !== undefined
      ? restrictUntrustedConfig(raw as Record<string, unknown>, configFile)
      : undefined;
  if (restricted !== undefined) ignored.push(...restricted.ignored);
  const parsed = restricted === undefined ? validated : configSchema.safeParse(restricted.config);
  if (!parsed.success) {
    const lines = formatSchemaIssues(parsed.error, raw);
    throw new UserError({
      code: 'config-invalid',
      message: `Invalid configuration in ${configFile}:\n${lines.map((line) => `  - ${line}`).join('\n')}`,
      hint: 'Correct the keys listed above; `orchestrator config --help` lists every key, and docs/configuration.md explains them.',
      details: { file: configFile, issues: lines },
    });
  }
  const config = structuredClone(parsed.data) as Config;
  const maxUsd = overrides.maxUsd ?? numberFromEnv(env, 'MAX_USD');
  if (maxUsd !== undefined) config.budget.maxUsd = maxUsd;
  if (env.DATABASE_URL) config.databaseUrl = env.DATABASE_URL;
  if (env.OPENAI_BASE_URL)
    config.providers.openai = { ...defaultProviderSettings(config, 'openai'), baseUrl: env.OPENAI_BASE_URL };
  if (env.ANTHROPIC_BASE_URL) {
    config.providers.anthropic = { ...defaultProviderSettings(config, 'anthropic'), baseUrl: env.ANTHROPIC_BASE_URL };
  }
  const trust: WorkspaceTrustReport = {
    repo: repository.path,
    trusted: repository.state === 'trusted',
    state: repository.state,
    changedFiles: repository.changedFiles,
    ...(repository.record === undefined ? {} : { trustedAt: repository.record.trustedAt }),
    ignored,
    trustCommand: trustCommandFor(repository.path),
  };
  const notice = formatTrustNotice(trust);
  if (notice !== '') (overrides.onNotice ?? ((text: string) => process.stderr.write(text)))(notice);
  return { config, configFile, dataDir: resolveDataDir(config.dataDir, env, root), env, trust };
}

function defaultProviderSettings(config: Config, provider: 'openai' | 'anthropic') {
  return config.providers[provider] ?? { maxRetries: 2, timeoutSeconds: 600 };
}

/** Validates a config object without reading files (used by tests and `config check`). */
export function validateConfig(input: ConfigInput): Config {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new UserError({
      code: 'config-invalid',
      message: `Invalid configuration:\n${formatSchemaIssues(parsed.error, input)
        .map((line) => `  - ${line}`)
        .join('\n')}`,
    });
  }
  return parsed.data;
}
