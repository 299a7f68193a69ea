import type { ModelPort, ModelRequest, ModelResponse, ModelStreamPart, TokenCount } from '@orchestrator/spec';
import type { SecretRedactor } from './redacting-journal-store.ts';

async function redactRequest(request: ModelRequest, redact: SecretRedactor): Promise<ModelRequest> {
  const system = await Promise.all(
    request.system.map(async (part) => ({ ...part, text: (await redact(part.text)).text })),
  );
  const messages = await Promise.all(
    request.messages.map(async (message) => ({ ...message, content: (await redact(message.content)).text })),
  );
  return { ...request, system, messages };
}

/**
 * A model that never sends a secret to the provider: every prompt part is scanned and each secret replaced by its
 * redacted fingerprint before the call leaves the machine (a repository's `.env` quoted as context, a key pasted in a
 * task). Earlier replies quoted in a prompt are redacted the same way. The reply itself is returned as the provider
 * sent it, so that a secret the Builder writes reaches the policy gate and blocks the commit instead of being committed
 * as a fingerprint; everything else derived from a reply is redacted where it is derived: the journal (and with it the
 * terminal, the API and the console), the next prompts (here), the commit message, the pull request and its review
 * comments (`deliver-change.ts`).
 */
export function redactingModel(inner: ModelPort, redact: SecretRedactor): ModelPort {
  return {
    specificationVersion: 'v1',
    provider: inner.provider,
    modelId: inner.modelId,
    generate: async (request: ModelRequest): Promise<ModelResponse> =>
      inner.generate(await redactRequest(request, redact)),
    stream: (request: ModelRequest): AsyncIterable<ModelStreamPart> => ({
      async *[Symbol.asyncIterator]() {
        yield* inner.stream(await redactRequest(request, redact));
      },
    }),
    countTokens: async (request: ModelRequest): Promise<TokenCount> =>
      inner.countTokens(await redactRequest(request, redact)),
  };
}
