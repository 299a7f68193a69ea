import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { checkCitations, type EmbeddingPort, ModelCallError } from '@orchestrator/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { createRetriever } from '../src/create-retriever.ts';
import { createOpenAiCompatibleEmbedder } from '../src/embeddings/openai-compatible-embedder.ts';
import { RepositoryIndex } from '../src/repository-index.ts';
import { reciprocalRankFusion } from '../src/search/reciprocal-rank-fusion.ts';
import { fixtureRepository } from './fixture-repository.ts';

/** A deterministic embedder: one dimension per concept, where synonyms share a concept. */
function conceptEmbedder(): EmbeddingPort & { calls: number } {
  const concepts: Record<string, number> = { password: 0, credential: 0, secret: 0, invoice: 1, billing: 1, bill: 1 };
  const embedder = {
    specificationVersion: 'v1' as const,
    provider: 'fake',
    modelId: 'concepts-v1',
    calls: 0,
    async embed(texts: readonly string[]) {
      embedder.calls += 1;
      return {
        embeddings: texts.map((text) => {
          const vector = [0, 0, 0.01];
          for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
            const concept = concepts[word];
            if (concept !== undefined) vector[concept] = (vector[concept] ?? 0) + 1;
          }
          return vector;
        }),
      };
    },
  };
  return embedder;
}

let cleanup: () => void = () => {};
afterEach(() => cleanup());

async function indexedFixture() {
  const repository = fixtureRepository({
    'src/auth.ts': 'export function checkPassword(password: string) {\n  return password.length > 8;\n}\n',
    'src/billing.ts':
      'export function totalInvoice(amounts: number[]) {\n  return amounts.reduce((a, b) => a + b, 0);\n}\n',
    'README.md': '# Demo\n\nA demo repository.\n',
  });
  const index = RepositoryIndex.open({ root: repository.root, databasePath: join(repository.root, '.index.sqlite') });
  await index.update();
  cleanup = () => {
    index.close();
    repository.remove();
  };
  return index;
}

describe('reciprocalRankFusion', () => {
  it('rewards ids ranked well by several lists', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd', 'a'],
    ]);
    expect(fused.map((entry) => entry.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62);
  });
});

describe('createRetriever', () => {
  it('retrieves by BM25 alone when no embedder is configured, and its ids pass the citation check', async () => {
    const index = await indexedFixture();
    const retriever = createRetriever(index);
    const chunks = await retriever.retrieve('check the password length', { k: 2 });
    expect(chunks[0]).toMatchObject({ path: 'src/auth.ts', startLine: 1, endLine: 3, symbol: 'checkPassword' });
    const ids = chunks.map((chunk) => chunk.id);
    expect(checkCitations([{ chunkId: chunks[0]!.id, startLine: 2, endLine: 2 }], ids)).toEqual([]);
    expect(checkCitations([{ chunkId: 'src/billing.ts:1-3#000000000000' }], ids)[0]?.reason).toBe('not-retrieved');
    expect(await retriever.retrieve('credential', { k: 2 })).toEqual([]);
  });

  it('fuses vector neighbours with BM25, finding synonyms BM25 alone misses', async () => {
    const index = await indexedFixture();
    const embedder = conceptEmbedder();
    expect(await index.embedMissing(embedder)).toBe(3);
    expect(await index.embedMissing(embedder)).toBe(0);
    const retriever = createRetriever(index, { embedder });
    const chunks = await retriever.retrieve('credential', { k: 1 });
    expect(chunks.map((chunk) => chunk.path)).toEqual(['src/auth.ts']);
    const bill = await retriever.retrieve('bill', { k: 1 });
    expect(bill.map((chunk) => chunk.symbol)).toEqual(['totalInvoice']);
  });
});

describe('createOpenAiCompatibleEmbedder', () => {
  it('speaks the OpenAI embeddings wire format and maps HTTP failures to model-call errors', async () => {
    const requests: Array<{ authorization: string | undefined; body: unknown }> = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (part) => {
        body += part;
      });
      request.on('end', () => {
        const parsed = JSON.parse(body) as { model: string; input: string[] };
        requests.push({ authorization: request.headers.authorization, body: parsed });
        if (parsed.model === 'missing') {
          response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"no model"}}');
          return;
        }
        const data = parsed.input.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, 1] }));
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ object: 'list', data: data.reverse(), usage: { prompt_tokens: 7, total_tokens: 7 } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    try {
      const embedder = createOpenAiCompatibleEmbedder({ baseUrl, model: 'text-embedding-3-small', apiKey: 'sk-test' });
      const result = await embedder.embed(['ab', 'abcd']);
      expect(result).toEqual({
        embeddings: [
          [2, 1],
          [4, 1],
        ],
        usage: { inputTokens: 7 },
      });
      expect(requests[0]).toEqual({
        authorization: 'Bearer sk-test',
        body: { model: 'text-embedding-3-small', input: ['ab', 'abcd'] },
      });
      const failing = createOpenAiCompatibleEmbedder({ baseUrl, model: 'missing' });
      const error = await failing.embed(['x']).catch((caught: unknown) => caught);
      expect(ModelCallError.isModelCallError(error)).toBe(true);
      expect((error as ModelCallError).kind).toBe('invalid-request');
    } finally {
      server.close();
    }
  });
});
