import type {
  AppendOptions,
  JournalEvent,
  JournalStore,
  ModelUsage,
  NewJournalEvent,
  ReadOptions,
  ResponseCacheStore,
  RunRecord,
} from '@orchestrator/spec';

/** Replaces every secret in a text by a redacted fingerprint; `found` says whether anything was replaced. */
export type SecretRedactor = (text: string) => Promise<{ text: string; found: boolean }>;

/** Structural fields (hashes, ids) are never secrets, and redacting them would break provenance and replay. */
const structuralKey = /(sha256|Sha256|Id|^id|^seq)$/;

async function redactLeaves(value: unknown, redact: SecretRedactor, key = ''): Promise<unknown> {
  if (typeof value === 'string') return structuralKey.test(key) ? value : (await redact(value)).text;
  if (Array.isArray(value)) return Promise.all(value.map((item) => redactLeaves(item, redact, key)));
  if (value === null || typeof value !== 'object') return value;
  const entries = await Promise.all(
    Object.entries(value as Record<string, unknown>).map(
      async ([name, inner]) => [name, await redactLeaves(inner, redact, name)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Redacts an event's payload: one scan of the whole payload, and leaf by leaf only when it holds a secret. */
async function redactData(data: unknown, redact: SecretRedactor): Promise<unknown> {
  const { found } = await redact(JSON.stringify(data) ?? '');
  return found ? redactLeaves(data, redact) : data;
}

/**
 * A journal store that never writes a secret: event payloads and blobs (prompts, model replies) are scanned and every
 * secret is replaced by its redacted fingerprint before it reaches the database. A model that echoes a `.env` key, or
 * a Builder that writes one, therefore leaves only the fingerprint in the journal, the console and the provenance
 * (hashes are of the redacted content, so `verify-provenance` still holds).
 */
export class RedactingJournalStore implements JournalStore {
  readonly specificationVersion = 'v1' as const;
  readonly #inner: JournalStore;
  readonly #redact: SecretRedactor;

  constructor(inner: JournalStore, redact: SecretRedactor) {
    this.#inner = inner;
    this.#redact = redact;
  }

  /** Labels are stored as the run's columns and listed by `GET /api/runs`: keys and values are redacted too. */
  async createRun(runId: string, labels: Record<string, string>): Promise<void> {
    const entries = await Promise.all(
      Object.entries(labels).map(async ([key, value]) => [
        (await this.#redact(key)).text,
        (await this.#redact(value)).text,
      ]),
    );
    return this.#inner.createRun(runId, Object.fromEntries(entries));
  }

  async append(runId: string, events: readonly NewJournalEvent[], options?: AppendOptions): Promise<JournalEvent[]> {
    const redacted = await Promise.all(
      events.map(async (event) => ({ ...event, data: await redactData(event.data, this.#redact) })),
    );
    return this.#inner.append(runId, redacted, options);
  }

  read(runId: string, options?: ReadOptions): Promise<JournalEvent[]> {
    return this.#inner.read(runId, options);
  }

  listRuns(options?: { limit?: number; label?: { key: string; value: string } }): Promise<RunRecord[]> {
    return this.#inner.listRuns(options);
  }

  getRun(runId: string): Promise<RunRecord | undefined> {
    return this.#inner.getRun(runId);
  }

  async putBlob(content: string): Promise<string> {
    return this.#inner.putBlob((await this.#redact(content)).text);
  }

  getBlob(sha256: string): Promise<string | undefined> {
    return this.#inner.getBlob(sha256);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** The response cache with the same guarantee: a cached reply holds fingerprints, never the secret. */
export function redactingResponseCacheStore(inner: ResponseCacheStore, redact: SecretRedactor): ResponseCacheStore {
  return {
    specificationVersion: 'v1',
    get: (key) => inner.get(key),
    put: async (key: string, response: string, usage: ModelUsage) =>
      inner.put(key, (await redact(response)).text, usage),
    close: () => inner.close(),
  };
}
