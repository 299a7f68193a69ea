import { type Config, ModelAuthError, type ModelPort, type RoleBinding, UserError } from '@orchestrator/spec';
import { createAnthropicModel } from './anthropic/anthropic-model.ts';
import { createOpenAiModel, isOfficialEndpoint } from './openai/openai-model.ts';
import { createOpenAiResponsesModel } from './openai/responses-model.ts';

/** The environment variables the factory reads (a subset of `process.env`). */
export interface ProviderEnvironment {
  ANTHROPIC_API_KEY?: string | undefined;
  ANTHROPIC_BASE_URL?: string | undefined;
  OPENAI_API_KEY?: string | undefined;
  OPENAI_BASE_URL?: string | undefined;
}

export interface CreateModelExtras {
  /** Builds the offline scripted model (lives in @orchestrator/testing; the composition root passes it in). */
  scripted?: (binding: RoleBinding) => ModelPort;
  /** Replaces the global fetch for every SDK client (tests). */
  fetch?: typeof fetch;
}

/** Placeholder key for OpenAI-compatible servers that need none (Ollama, llama.cpp, vLLM without --api-key). */
export const keylessPlaceholder = 'not-needed';

const defaultSettings: NonNullable<Config['providers']['openai']> = { maxRetries: 2, timeoutSeconds: 600 };

/** The call bounds and role options every adapter takes from a provider section and the role binding. */
function adapterSettings(section: NonNullable<Config['providers']['openai']>, binding: RoleBinding) {
  return {
    model: binding.model,
    maxRetries: section.maxRetries,
    timeoutSeconds: section.timeoutSeconds,
    ...(section.idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds: section.idleTimeoutSeconds }),
    ...(section.maxRetryAfterSeconds === undefined ? {} : { maxRetryAfterSeconds: section.maxRetryAfterSeconds }),
    ...(binding.reasoning === undefined ? {} : { reasoningEffort: binding.reasoning.effort }),
  };
}

/**
 * The one place a role binding becomes a Model port. Settings come from `config.providers`, keys and base URLs from
 * the environment (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`, `OPENAI_API_KEY`, `OPENAI_BASE_URL`); a base URL in
 * the config wins over the environment.
 */
export function createModel(
  binding: RoleBinding,
  settings: Config['providers'],
  env: ProviderEnvironment,
  extras: CreateModelExtras = {},
): ModelPort {
  const fetchOption = extras.fetch === undefined ? {} : { fetch: extras.fetch };
  switch (binding.provider) {
    case 'anthropic': {
      const section = settings.anthropic ?? defaultSettings;
      const apiKey = env.ANTHROPIC_API_KEY;
      if (!apiKey) throw new ModelAuthError('anthropic', 'ANTHROPIC_API_KEY');
      const baseUrl = settings.anthropic?.baseUrl ?? (env.ANTHROPIC_BASE_URL || undefined);
      return createAnthropicModel({
        ...adapterSettings(section, binding),
        apiKey,
        ...(baseUrl === undefined ? {} : { baseUrl }),
        ...fetchOption,
      });
    }
    case 'openai': {
      const section = settings.openai ?? defaultSettings;
      const baseUrl = settings.openai?.baseUrl ?? (env.OPENAI_BASE_URL || undefined);
      const apiKey = env.OPENAI_API_KEY || (baseUrl === undefined ? undefined : keylessPlaceholder);
      if (!apiKey) throw new ModelAuthError('openai', 'OPENAI_API_KEY');
      // The Responses API for OpenAI itself; Chat Completions for OpenAI-compatible servers (vLLM, Ollama, gateways),
      // unless `providers.openai.api` says otherwise.
      const api = section.api ?? (isOfficialEndpoint(baseUrl) ? 'responses' : 'chat-completions');
      const create = api === 'responses' ? createOpenAiResponsesModel : createOpenAiModel;
      return create({
        ...adapterSettings(section, binding),
        apiKey,
        ...(baseUrl === undefined ? {} : { baseUrl }),
        ...fetchOption,
      });
    }
    case 'scripted': {
      if (extras.scripted !== undefined) return extras.scripted(binding);
      throw new UserError({
        code: 'provider-scripted-unavailable',
        message: 'The scripted model was requested but this entry point does not provide it.',
        hint: 'Pass `scripted` to createModel (the composition root does), or bind the role to anthropic or openai.',
        details: { provider: binding.provider, model: binding.model },
      });
    }
    default:
      throw new UserError({
        code: 'provider-unknown',
        message: `Unknown model provider "${binding.provider}".`,
        hint: 'Use anthropic, openai (also for OpenAI-compatible servers via OPENAI_BASE_URL) or scripted in orchestrator.config.*.',
        details: { provider: binding.provider, model: binding.model },
      });
  }
}
