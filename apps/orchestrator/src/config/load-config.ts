import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Config, type ConfigInput, configSchema, UserError } from '@orchestrator/spec';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { resolveDataDir } from './data-dir.ts';
import { formatSchemaIssues } from './format-issues.ts';

export const configFileNames = [
  'orchestrator.config.json',
  'orchestrator.config.yaml',
  'orchestrator.config.yml',
  'orchestrator.config.ts',
  'orchestrator.config.mjs',
  'orchestrator.config.js',
] as const;

export interface LoadedConfig {
  /** Validated configuration with defaults applied and environment overrides merged. */
  config: Config;
  /** The config file used, if any. */
  configFile: string | undefined;
  /** Absolute data directory. */
  dataDir: string;
  /** Environment after merging `.env` files (process env wins). */
  env: NodeJS.ProcessEnv;
}

/** Reads `.env` from the repository and the working directory; real environment variables take precedence. */
export function loadEnvironment(repoDir: string, processEnv: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = {};
  for (const dir of new Set([process.cwd(), repoDir])) {
    const file = join(dir, '.env');
    if (existsSync(file)) Object.assign(merged, parseDotenv(readFileSync(file)));
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
 */
export async function loadConfig(
  repoDir: string,
  processEnv: NodeJS.ProcessEnv = process.env,
  overrides: { maxUsd?: number } = {},
): Promise<LoadedConfig> {
  const root = resolve(repoDir);
  const env = loadEnvironment(root, processEnv);
  const configFile = configFileNames.map((name) => join(root, name)).find((file) => existsSync(file));
  const raw = configFile ? await readConfigFile(configFile) : {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError({
      code: 'config-invalid',
      message: `${configFile} must contain an object at the top level.`,
      hint: 'Write the configuration as a mapping, e.g. { "limits": { "maxTurns": 8 } }.',
      details: { file: configFile },
    });
  }
  const parsed = configSchema.safeParse(raw);
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
  return { config, configFile, dataDir: resolveDataDir(config.dataDir, env, root), env };
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
