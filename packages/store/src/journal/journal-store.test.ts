import { runJournalStoreConformance } from '@orchestrator/testing/conformance/journal-store-conformance';
import { storeBackends } from '../database/test-support/store-backends.ts';

// One conformance suite, run against every database the store speaks.
for (const backend of storeBackends('journal store conformance')) {
  runJournalStoreConformance({
    name: backend.name,
    async createFixture() {
      const database = backend.fresh();
      return { store: await database.journal(), openAnother: () => database.journal(), dispose: database.dispose };
    },
  });
}
