import { type EmbeddingPort, type EmbeddingResult, ModelCallError, type ModelCallErrorKind } from '@orchestrator/spec';
import { z } from 'zod';

/** Where and how to reach an OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama, vLLM, llama.cpp…). */
export interface OpenAiCompatibleEmbedderOptions {
  /** Base URL including the version segment, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  /** Embedding model id, e.g. `text-embedding-3-small`. */
  model: string;
  /** API key; sent as a bearer token, never logged. Local servers usually need none. */
  apiKey?: string;
  /** Provider name reported in errors (default `openai`). */
  provider?: string;
  /** The fetch to use (tests pass a loopback-bound one); defaults to the global fetch. */
  fetch?: typeof fetch;
}

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }).optional(),
});

function kindOf(status: number): ModelCallErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate-limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status >= 500) return 'retryable';
  return 'invalid-request';
}

/** An `EmbeddingPort` over the OpenAI embeddings wire format. */
export function createOpenAiCompatibleEmbedder(options: OpenAiCompatibleEmbedderOptions): EmbeddingPort {
  const provider = options.provider ?? 'openai';
  const fetchImplementation = options.fetch ?? fetch;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  return {
    specificationVersion: 'v1',
    provider,
    modelId: options.model,
    async embed(texts): Promise<EmbeddingResult> {
      if (texts.length === 0) return { embeddings: [] };
      let response: Response;
      try {
        response = await fetchImplementation(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
          },
          body: JSON.stringify({ model: options.model, input: texts }),
        });
      } catch (cause) {
        throw new ModelCallError({
          kind: 'retryable',
          provider,
          message: `The embeddings endpoint ${url} could not be reached.`,
          hint: 'Check the base URL and that the server is running, or turn embeddings off (BM25 works alone).',
          cause,
        });
      }
      if (!response.ok) {
        throw new ModelCallError({
          kind: kindOf(response.status),
          provider,
          status: response.status,
          message: `The embeddings endpoint answered HTTP ${response.status}.`,
          hint: 'Check the model name and credentials, or turn embeddings off (BM25 works alone).',
        });
      }
      const parsed = responseSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success || parsed.data.data.length !== texts.length) {
        throw new ModelCallError({
          kind: 'invalid-request',
          provider,
          message: 'The embeddings endpoint returned a body that is not an OpenAI embeddings response for every input.',
          hint: 'Point the base URL at an OpenAI-compatible /v1 endpoint.',
        });
      }
      const embeddings = [...parsed.data.data]
        .sort((left, right) => left.index - right.index)
        .map((entry) => entry.embedding);
      return {
        embeddings,
        ...(parsed.data.usage === undefined ? {} : { usage: { inputTokens: parsed.data.usage.prompt_tokens } }),
      };
    },
  };
}
