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
 * task). The reply is untouched; what is journaled is redacted separately by the journal store.
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
