import { type Forge, UserError } from '@orchestrator/spec';
import { GitHubForge } from './github/github-forge.ts';
import { LocalForge } from './local/local-forge.ts';

/** The forge part of the configuration (`forge:` in orchestrator.config.*). */
export interface ForgeSettings {
  kind: 'local' | 'github';
  repository?: string | undefined;
  apiUrl?: string | undefined;
}

/** Which forge to use and how to reach it, resolved from configuration and environment. */
export type ForgeChoice =
  | { kind: 'local'; dataDir: string; sourceRepository: string }
  | { kind: 'github'; token: string; repository: string; baseUrl?: string; gitUrl?: string };

/**
 * Resolves the forge: GitHub when configured (`forge.kind: github`) or when both GITHUB_TOKEN and GITHUB_REPOSITORY
 * are set (as in GitHub Actions), otherwise the local forge. `GITHUB_API_URL` overrides the REST base URL (GitHub
 * Enterprise, a local stand-in) and `GITHUB_GIT_URL` where `git push` goes.
 */
export function resolveForgeChoice(options: {
  settings: ForgeSettings;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  sourceRepository: string;
  /** Forces a kind (the CLI's `--forge`). */
  kind?: 'local' | 'github';
}): ForgeChoice {
  const { settings, env } = options;
  const repository = settings.repository ?? env.GITHUB_REPOSITORY;
  const token = env.GITHUB_TOKEN;
  const wantsGitHub =
    options.kind === 'github' ||
    (options.kind === undefined &&
      (settings.kind === 'github' || (token !== undefined && token !== '' && repository !== undefined)));
  if (!wantsGitHub) return { kind: 'local', dataDir: options.dataDir, sourceRepository: options.sourceRepository };
  if (token === undefined || token === '' || repository === undefined || repository === '') {
    throw new UserError({
      code: 'forge-github-not-configured',
      message: 'The GitHub forge needs a token and a repository.',
      hint: 'Set GITHUB_TOKEN, and GITHUB_REPOSITORY=owner/name (or forge.repository in orchestrator.config.*).',
    });
  }
  const baseUrl = settings.apiUrl ?? env.GITHUB_API_URL;
  return {
    kind: 'github',
    token,
    repository,
    ...(baseUrl === undefined || baseUrl === '' ? {} : { baseUrl }),
    ...(env.GITHUB_GIT_URL === undefined || env.GITHUB_GIT_URL === '' ? {} : { gitUrl: env.GITHUB_GIT_URL }),
  };
}

/** Builds the chosen forge adapter (for composition roots only). */
export function createForge(choice: ForgeChoice): Forge {
  if (choice.kind === 'local') {
    return new LocalForge({ dataDir: choice.dataDir, sourceRepository: choice.sourceRepository });
  }
  return new GitHubForge({
    token: choice.token,
    repository: choice.repository,
    ...(choice.baseUrl === undefined ? {} : { baseUrl: choice.baseUrl }),
    ...(choice.gitUrl === undefined ? {} : { gitUrl: choice.gitUrl }),
  });
}
