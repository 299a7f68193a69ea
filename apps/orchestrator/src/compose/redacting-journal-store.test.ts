import { InMemoryJournalStore } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { RedactingJournalStore, redactingResponseCacheStore } from './redacting-journal-store.ts';
import { policySecretRedactor } from './secret-redactor.ts';

// Assembled at run time so no scanner flags this file itself.
const liveKey = ['sk', '_live_', '51H8kq2LzR9xVw4pN7tY1mB5cJ3hF6dS0a'].join('');
const githubToken = ['gh', 'p_', 'R8kz2Lq9XwV4pN7tY1mB5cJ3hF6dS0aQ2eU8'].join('');

describe('RedactingJournalStore', () => {
  it('never stores a secret in a run label (key or value), which GET /api/runs lists', async () => {
    const inner = new InMemoryJournalStore();
    const store = new RedactingJournalStore(inner, policySecretRedactor);
    await store.createRun('r1', { ticket: githubToken, [githubToken]: 'value', feature: 'checkout' });
    const [run] = await inner.listRuns();
    expect(JSON.stringify(run?.labels)).not.toContain(githubToken);
    expect(run?.labels.feature).toBe('checkout');
    expect(run?.labels.ticket).toContain('REDACTED');
  });

  it('never writes a secret in an event payload, and keeps the rest of the payload as it was', async () => {
    const inner = new InMemoryJournalStore();
    const store = new RedactingJournalStore(inner, policySecretRedactor);
    const requestSha256 = 'a'.repeat(64);
    await store.append('r1', [
      {
        type: 'message',
        data: {
          role: 'builder',
          turn: 2,
          requestSha256,
          message: {
            edits: [{ kind: 'create', path: '.env', content: `STRIPE_SECRET_KEY=${liveKey}\n` }],
            claims: ['adds the key'],
          },
        },
      },
      { type: 'step-end', data: { status: 'ok' } },
    ]);
    const stored = JSON.stringify(await inner.read('r1'));
    expect(stored).not.toContain(liveKey);
    expect(stored).toContain('REDACTED');
    const [message, stepEnd] = await inner.read('r1');
    expect(message?.data).toMatchObject({
      role: 'builder',
      turn: 2,
      requestSha256,
      message: { claims: ['adds the key'] },
    });
    expect(stepEnd?.data).toEqual({ status: 'ok' });
  });

  it('stores prompt and reply blobs redacted, so their hashes are of what the journal holds', async () => {
    const inner = new InMemoryJournalStore();
    const store = new RedactingJournalStore(inner, policySecretRedactor);
    const sha256 = await store.putBlob(`Here is the file:\nGITHUB_TOKEN=${githubToken}\n`);
    const blob = await inner.getBlob(sha256);
    expect(blob).not.toContain(githubToken);
    expect(blob).toContain('Here is the file:');
    expect(await store.putBlob('no secret at all')).toBe(await inner.putBlob('no secret at all'));
  });

  it('keeps secrets out of the response cache too', async () => {
    const puts: string[] = [];
    const cache = redactingResponseCacheStore(
      {
        specificationVersion: 'v1',
        get: async () => undefined,
        put: async (_key, response) => {
          puts.push(response);
        },
        close: async () => {},
      },
      policySecretRedactor,
    );
    await cache.put('k', JSON.stringify({ text: `key ${liveKey}` }), {
      inputTokens: 1,
      outputTokens: 1,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    });
    expect(puts[0]).not.toContain(liveKey);
  });
});
