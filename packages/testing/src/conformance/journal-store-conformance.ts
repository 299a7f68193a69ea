import { type JournalStore, OrchestratorError } from '@orchestrator/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** A fresh, empty database for one test, opened by the adapter under test. */
export interface JournalStoreFixture {
  /** The store the test drives. */
  store: JournalStore;
  /** Opens another, independent handle (connection, process-like writer) on the same database. */
  openAnother(): Promise<JournalStore>;
  /** Drops the database (schema, file); called after the test closed every handle. */
  dispose(): Promise<void>;
}

/** Tests an adapter skips, and why (Hono's `runTest` style). */
export interface ConformanceSkip {
  reason: string;
  tests: readonly string[];
}

export interface JournalStoreConformanceOptions {
  /** Adapter name shown in the test titles. */
  name: string;
  /** Creates the fixture for one test. */
  createFixture(): Promise<JournalStoreFixture>;
  /** Tests this adapter cannot pass, each with a reason. */
  skip?: readonly ConformanceSkip[];
}

function codeOf(error: unknown): string | undefined {
  return OrchestratorError.isInstance(error) ? error.code : undefined;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/**
 * The conformance suite of the `JournalStore` port, version 1. Every adapter (SQLite, PostgreSQL, third-party) joins
 * with a few lines: `runJournalStoreConformance({ name, createFixture })`.
 */
export function runJournalStoreConformance(options: JournalStoreConformanceOptions): void {
  const skipped = new Map<string, string>();
  for (const entry of options.skip ?? []) for (const test of entry.tests) skipped.set(test, entry.reason);
  const handles: JournalStore[] = [];
  let fixture: JournalStoreFixture;
  let store: JournalStore;

  const test = (title: string, body: () => Promise<void>) => {
    const reason = skipped.get(title);
    if (reason === undefined) it(title, body);
    else it.skip(`${title} (skipped: ${reason})`, body);
  };
  const another = async () => {
    const handle = await fixture.openAnother();
    handles.push(handle);
    return handle;
  };

  describe(`JournalStore conformance: ${options.name}`, () => {
    beforeEach(async () => {
      fixture = await options.createFixture();
      store = fixture.store;
      handles.length = 0;
    });
    afterEach(async () => {
      for (const handle of handles) await handle.close();
      await store.close();
      await fixture.dispose();
    });

    test('declares specification v1', async () => {
      expect(store.specificationVersion).toBe('v1');
    });

    test('assigns consecutive seq numbers from 1 across batches', async () => {
      const first = await store.append('run-a', [
        { type: 'run-start', data: { task: 't' } },
        { type: 'step-start', stepId: 's1', data: {} },
      ]);
      const second = await store.append('run-a', [{ type: 'step-end', stepId: 's1', data: { status: 'ok' } }]);
      expect([...first, ...second].map((event) => event.seq)).toEqual([1, 2, 3]);
      expect((await store.read('run-a')).map((event) => event.type)).toEqual(['run-start', 'step-start', 'step-end']);
    });

    test('round-trips the envelope and payload exactly', async () => {
      const data = { text: 'héllo ✓ "quoted"', nested: { list: [1, 2.5, null, true] }, empty: {} };
      const [stored] = await store.append('run-a', [
        { type: 'message', stepId: 'step-1', at: '2026-01-02T03:04:05.678Z', data },
        { type: 'run-end', data: { status: 'ok' } },
      ]);
      const [read, withoutStep] = await store.read('run-a');
      expect(read).toEqual({
        runId: 'run-a',
        seq: 1,
        type: 'message',
        stepId: 'step-1',
        at: '2026-01-02T03:04:05.678Z',
        schemaVersion: 1,
        data,
      });
      expect(stored).toEqual(read);
      expect(withoutStep).not.toHaveProperty('stepId');
      expect(Number.isNaN(Date.parse(withoutStep!.at))).toBe(false);
    });

    test('reads after a seq and up to a limit', async () => {
      await store.append(
        'run-a',
        Array.from({ length: 10 }, (_, index) => ({ type: 'message', data: { index } })),
      );
      expect((await store.read('run-a', { afterSeq: 7 })).map((event) => event.seq)).toEqual([8, 9, 10]);
      expect((await store.read('run-a', { afterSeq: 2, limit: 3 })).map((event) => event.seq)).toEqual([3, 4, 5]);
      expect(await store.read('run-a', { afterSeq: 10 })).toEqual([]);
      expect(await store.read('unknown-run')).toEqual([]);
    });

    test('keeps each run its own sequence', async () => {
      await store.append('run-a', [{ type: 'run-start', data: {} }]);
      await store.append('run-b', [{ type: 'run-start', data: {} }]);
      await store.append('run-a', [{ type: 'run-end', data: {} }]);
      expect((await store.read('run-a')).map((event) => event.seq)).toEqual([1, 2]);
      expect((await store.read('run-b')).map((event) => event.seq)).toEqual([1]);
    });

    test('writes nothing of a batch that contains an invalid event', async () => {
      await store.append('run-a', [{ type: 'run-start', data: {} }]);
      const error = await failure(
        store.append('run-a', [
          { type: 'message', data: { ok: true } },
          { type: '', data: {} },
        ]),
      );
      expect(codeOf(error)).toBe('journal-event-invalid');
      expect((await store.read('run-a')).map((event) => event.seq)).toEqual([1]);
      expect((await store.getRun('run-a'))?.lastSeq).toBe(1);
    });

    test('rejects an append whose expectedLastSeq is stale, writing nothing', async () => {
      await store.append('run-a', [{ type: 'run-start', data: {} }], { expectedLastSeq: 0 });
      const error = await failure(store.append('run-a', [{ type: 'message', data: {} }], { expectedLastSeq: 0 }));
      expect(codeOf(error)).toBe('journal-conflict');
      expect(await store.read('run-a')).toHaveLength(1);
      const appended = await store.append('run-a', [{ type: 'message', data: {} }], { expectedLastSeq: 1 });
      expect(appended.map((event) => event.seq)).toEqual([2]);
    });

    test('lets exactly one of two racing writers with the same expectedLastSeq win', async () => {
      const other = await another();
      await store.append('run-a', [{ type: 'run-start', data: {} }]);
      const outcomes = await Promise.allSettled([
        store.append('run-a', [{ type: 'message', data: { writer: 1 } }], { expectedLastSeq: 1 }),
        other.append('run-a', [{ type: 'message', data: { writer: 2 } }], { expectedLastSeq: 1 }),
      ]);
      const rejected = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(rejected.map((outcome) => codeOf(outcome.reason))).toEqual(['journal-conflict']);
      expect((await store.read('run-a')).map((event) => event.seq)).toEqual([1, 2]);
    });

    test('never interleaves or loses batches of concurrent appenders', async () => {
      const writers = [store, await another(), await another()];
      const batchSize = 5;
      const batchesPerWriter = 8;
      await Promise.all(
        writers.map(async (writer, writerIndex) => {
          for (let batch = 0; batch < batchesPerWriter; batch += 1) {
            await writer.append(
              'run-a',
              Array.from({ length: batchSize }, (_, item) => ({
                type: 'message',
                data: { batch: `${writerIndex}-${batch}`, item },
              })),
            );
          }
        }),
      );
      const events = await store.read('run-a');
      const total = writers.length * batchesPerWriter * batchSize;
      expect(events.map((event) => event.seq)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
      for (let start = 0; start < total; start += batchSize) {
        const slice = events
          .slice(start, start + batchSize)
          .map((event) => event.data as { batch: string; item: number });
        expect(new Set(slice.map((data) => data.batch)).size).toBe(1);
        expect(slice.map((data) => data.item)).toEqual([0, 1, 2, 3, 4]);
      }
      expect((await store.getRun('run-a'))?.lastSeq).toBe(total);
    });

    test('appending an empty batch writes nothing', async () => {
      expect(await store.append('run-a', [])).toEqual([]);
      expect(await store.read('run-a')).toEqual([]);
    });

    test('creates runs idempotently with labels and tracks their last seq', async () => {
      await store.createRun('run-a', { feature: 'auth', repo: 'demo' });
      await store.createRun('run-a', { feature: 'other', owner: 'ops' });
      await store.append('run-a', [
        { type: 'run-start', data: {}, at: '2026-01-01T00:00:00.000Z' },
        { type: 'run-end', data: {}, at: '2026-01-01T00:05:00.000Z' },
      ]);
      const record = await store.getRun('run-a');
      expect(record).toMatchObject({
        runId: 'run-a',
        lastSeq: 2,
        updatedAt: '2026-01-01T00:05:00.000Z',
        labels: { feature: 'auth', repo: 'demo', owner: 'ops' },
      });
      expect(Number.isNaN(Date.parse(record!.createdAt))).toBe(false);
      expect(await store.getRun('missing')).toBeUndefined();
    });

    test('lists runs newest first, limited, filtered by label', async () => {
      await store.createRun('run-1', { feature: 'auth' });
      await store.createRun('run-2', { feature: 'billing' });
      await store.createRun('run-3', { feature: 'auth' });
      expect((await store.listRuns()).map((run) => run.runId)).toEqual(['run-3', 'run-2', 'run-1']);
      expect((await store.listRuns({ limit: 2 })).map((run) => run.runId)).toEqual(['run-3', 'run-2']);
      const auth = await store.listRuns({ label: { key: 'feature', value: 'auth' } });
      expect(auth.map((run) => run.runId)).toEqual(['run-3', 'run-1']);
      expect(await store.listRuns({ label: { key: 'feature', value: 'none' } })).toEqual([]);
    });

    test('stores blobs once under their sha256', async () => {
      const content = 'You are the Architect. ✓\n'.repeat(100);
      const digest = await store.putBlob(content);
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
      expect(await store.putBlob(content)).toBe(digest);
      expect(await store.getBlob(digest)).toBe(content);
      expect(await store.putBlob('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(await store.getBlob('0'.repeat(64))).toBeUndefined();
    });

    test('keeps what was written after the store is closed and reopened', async () => {
      await store.createRun('run-a', { feature: 'auth' });
      await store.append('run-a', [{ type: 'run-start', data: { task: 'durable' } }]);
      const digest = await store.putBlob('prompt');
      const reopened = await another();
      expect((await reopened.read('run-a'))[0]?.data).toEqual({ task: 'durable' });
      expect(await reopened.getBlob(digest)).toBe('prompt');
      expect((await reopened.append('run-a', [{ type: 'run-end', data: {} }]))[0]?.seq).toBe(2);
    });
  });
}
