import { runJournalStoreConformance } from '@orchestrator/testing/conformance/journal-store-conformance';
import { describe, expect, it } from 'vitest';
import { storeBackends } from '../database/test-support/store-backends.ts';

const backends = storeBackends('journal store conformance');

describe('the journal store suite', () => {
  it('runs against SQLite always, and PostgreSQL whenever TEST_DATABASE_URL is set', () => {
    const expected = process.env.TEST_DATABASE_URL ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
    expect(backends.map((backend) => backend.name)).toEqual(expected);
  });
});

// One conformance suite (its assertions live in packages/testing), run against every database the store speaks.
for (const backend of backends) {
  runJournalStoreConformance({
    name: backend.name,
    async createFixture() {
      const database = backend.fresh();
      return { store: await database.journal(), openAnother: () => database.journal(), dispose: database.dispose };
    },
  });
}
