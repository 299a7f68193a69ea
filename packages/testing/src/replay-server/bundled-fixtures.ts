import { loadCassette, type ReplayExchange } from './cassette.ts';

const files = {
  anthropic: { file: 'anthropic-messages-text.yaml', index: 0, path: '/v1/messages' },
  openai: { file: 'openai-chat-completions-text.yaml', index: 1, path: '/v1/chat/completions' },
} as const;

/**
 * A short real text reply bundled with the repository (see fixtures/README.md), matching any request body on the
 * vendor's path, so the no-key ping and smoke run get a fixed, known reply.
 */
export function bundledTextExchange(vendor: 'anthropic' | 'openai'): ReplayExchange {
  const entry = files[vendor];
  const exchange = loadCassette(new URL(`./fixtures/${entry.file}`, import.meta.url).pathname, `bundled/${entry.file}`)[
    entry.index
  ];
  if (exchange === undefined) throw new Error(`bundled fixture ${entry.file} has no exchange ${entry.index}`);
  return { ...exchange, request: { method: 'POST', path: entry.path } };
}
