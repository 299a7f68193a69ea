import type { Config, RoleBinding, RoleName } from '@orchestrator/spec';

/** The roles of the debate loop, in speaking order. */
export const debateRoles = ['architect', 'builder', 'critic'] as const satisfies readonly RoleName[];

export interface ResolvedRole {
  role: RoleName;
  binding: RoleBinding;
  /** Where the binding came from: the config file, or a default chosen from the keys present. */
  source: 'config' | 'default';
}

/**
 * Binds every role to a model. Explicit config wins; otherwise the defaults pit vendors against each other when both keys
 * are present (Architect on Claude, Builder and Critic on GPT), use the one vendor whose key is present, or fall back
 * to the offline scripted model.
 */
export function resolveRoles(
  config: Config,
  env: NodeJS.ProcessEnv,
  roles: readonly RoleName[] = debateRoles,
): ResolvedRole[] {
  const anthropic: RoleBinding = { provider: 'anthropic', model: 'claude-sonnet-4-6', maxOutputTokens: 4096 };
  const openai: RoleBinding = { provider: 'openai', model: 'gpt-5', maxOutputTokens: 4096 };
  const scripted: RoleBinding = { provider: 'scripted', model: 'scripted-v1', maxOutputTokens: 4096 };
  const hasAnthropic = Boolean(env.ANTHROPIC_API_KEY);
  const hasOpenai = Boolean(env.OPENAI_API_KEY || env.OPENAI_BASE_URL);
  const fallback = (role: RoleName): RoleBinding => {
    if (hasAnthropic && hasOpenai) return role === 'architect' ? anthropic : openai;
    if (hasAnthropic) return anthropic;
    if (hasOpenai) return openai;
    return scripted;
  };
  return roles.map((role) => {
    const configured = config.roles[role];
    return configured
      ? { role, binding: configured, source: 'config' }
      : { role, binding: fallback(role), source: 'default' };
  });
}
