/** A setting from an untrusted workspace that was not applied. */
export interface IgnoredSetting {
  /** Absolute path of the file it came from. */
  file: string;
  /** The config key path (`providers.openai.baseUrl`) or environment variable (`OPENAI_BASE_URL`); never its value. */
  key: string;
  /** Why it needs trust. */
  reason: string;
}

/** `true`: the whole subtree may come from an untrusted repository; an object: only the keys it lists. */
type Allowance = true | { readonly [key: string]: Allowance };

const providerTuning: Allowance = {
  maxRetries: true,
  timeoutSeconds: true,
  idleTimeoutSeconds: true,
  maxRetryAfterSeconds: true,
  api: true,
};

/**
 * What an untrusted `orchestrator.config.*` may set: how the debate runs (roles, limits, a budget — the user's own
 * MAX_USD or --max-usd still wins), git naming, retrieval, test limits. Anything not listed (endpoints, credentials, the
 * data directory, the database, the sandbox kind, the forge target, prices, and any key added later) needs trust.
 */
const untrustedConfigAllowance: Allowance = {
  roles: true,
  limits: true,
  budget: true,
  git: true,
  retrieval: true,
  forge: { labels: true, reviewers: true },
  providers: { anthropic: providerTuning, openai: providerTuning },
  sandbox: { testCommand: true, timeoutSeconds: true, memoryMb: true },
};

/** The only variable an untrusted `.env` may set: a budget cap (the user's own environment still wins). */
const untrustedEnvAllowance = new Set(['MAX_USD']);

function configReason(path: string): string {
  if (/^providers\.[^.]+\.baseUrl$/.test(path)) return 'provider endpoint: where your API key is sent';
  if (path === 'dataDir') return 'data directory';
  if (path === 'databaseUrl') return 'database: credentials and where runs are stored';
  if (path === 'sandbox.kind') return 'sandbox choice';
  if (path.startsWith('forge')) return 'forge target: where the code and your GitHub token go';
  if (path === 'prices') return 'model prices: they decide when the budget cap stops a run';
  return 'not allowed from an untrusted repository';
}

/** Why an environment variable from an untrusted `.env` needs trust. */
export function envReason(name: string): string {
  if (/(_API_KEY|_TOKEN|_SECRET|_PASSWORD)$/.test(name) || name === 'DATABASE_URL') return 'credential';
  if (/(_BASE_URL|_API_URL|_GIT_URL|_ENDPOINT)$/.test(name) || name.startsWith('OTEL_')) return 'endpoint';
  if (name === 'ORCHESTRATOR_HOME' || name === 'XDG_DATA_HOME') return 'data directory';
  return 'only MAX_USD is read from an untrusted .env';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function restrict(
  value: Record<string, unknown>,
  allowance: { readonly [key: string]: Allowance },
  prefix: string,
  file: string,
  ignored: IgnoredSetting[],
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    const allowed = allowance[key];
    if (allowed === true) kept[key] = inner;
    else if (allowed !== undefined && isPlainObject(inner)) kept[key] = restrict(inner, allowed, path, file, ignored);
    else ignored.push({ file, key: path, reason: configReason(path) });
  }
  return kept;
}

/** Drops every key an untrusted config may not set; says which (by key path, never by value). */
export function restrictUntrustedConfig(
  raw: Record<string, unknown>,
  file: string,
): { config: Record<string, unknown>; ignored: IgnoredSetting[] } {
  const ignored: IgnoredSetting[] = [];
  const config = restrict(raw, untrustedConfigAllowance as Record<string, Allowance>, '', file, ignored);
  return { config, ignored };
}

/** Keeps only the variables an untrusted `.env` may set; says which were dropped (by name, never by value). */
export function restrictUntrustedEnv(
  variables: Record<string, string>,
  file: string,
): { env: Record<string, string>; ignored: IgnoredSetting[] } {
  const env: Record<string, string> = {};
  const ignored: IgnoredSetting[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (untrustedEnvAllowance.has(name)) env[name] = value;
    else ignored.push({ file, key: name, reason: envReason(name) });
  }
  return { env, ignored };
}
