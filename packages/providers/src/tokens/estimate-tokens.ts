import type { ModelRequest } from '@orchestrator/spec';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/** Per-message framing tokens of chat formats (role markers, separators), rounded up. */
const perMessageOverhead = 4;
/** Reply priming and request framing. */
const perRequestOverhead = 8;
/**
 * Safety margin over the o200k count. o200k_base is exact for GPT-4o/GPT-5 text; other vendors' tokenizers
 * (Claude, Llama, Qwen behind OpenAI-compatible servers) split differently, so estimates over-count on purpose.
 */
const margin = 1.15;

/** Tokens in a text, counted with the o200k_base encoder (GPT-4o / GPT-5 family). */
export function countTextTokens(text: string): number {
  return text === '' ? 0 : countTokens(text);
}

/** A conservative over-count of a request's input tokens, for budgets when no vendor counter is available. */
export function estimateTokens(request: ModelRequest): number {
  let tokens = perRequestOverhead;
  for (const part of request.system) tokens += countTextTokens(part.text) + perMessageOverhead;
  for (const message of request.messages) tokens += countTextTokens(message.content) + perMessageOverhead;
  if (request.output !== undefined) {
    tokens += countTextTokens(JSON.stringify(request.output.schema)) + countTextTokens(request.output.name);
    tokens += countTextTokens(request.output.description ?? '') + perMessageOverhead;
  }
  return Math.ceil(tokens * margin);
}
