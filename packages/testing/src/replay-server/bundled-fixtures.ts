import { join } from 'node:path';
import { defaultFixturesDirectory, loadCassette, type ReplayExchange } from './cassette.ts';

const bundled = (file: string) => new URL(`./fixtures/${file}`, import.meta.url).pathname;
const files = {
  anthropic: { file: bundled('anthropic-messages-text.yaml'), index: 0, path: '/v1/messages' },
  openai: { file: bundled('openai-chat-completions-text.yaml'), index: 1, path: '/v1/chat/completions' },
  /** A real gpt-5-pro reply on the Responses API, with reasoning tokens in its usage. */
  'openai-responses': {
    file: join(defaultFixturesDirectory, 'openai-responses-cassettes', 'test_gpt5_pro.yaml'),
    index: 0,
    path: '/v1/responses',
  },
} as const;

/** Which bundled reply: Anthropic Messages, OpenAI Chat Completions, or OpenAI Responses. */
export type BundledWire = keyof typeof files;

/**
 * A short real text reply bundled with the repository (see fixtures/README.md), matching any request body on the
 * vendor's path, so the no-key ping and smoke run get a fixed, known reply.
 */
export function bundledTextExchange(wire: BundledWire): ReplayExchange {
  const entry = files[wire];
  const exchange = loadCassette(entry.file, `bundled/${wire}`)[entry.index];
  if (exchange === undefined) throw new Error(`bundled fixture ${entry.file} has no exchange ${entry.index}`);
  return { ...exchange, request: { method: 'POST', path: entry.path } };
}
