import { runJournalStoreConformance } from '../conformance/journal-store-conformance.ts';
import { InMemoryJournalStore } from './in-memory-journal-store.ts';

runJournalStoreConformance({
  name: 'in-memory',
  async createFixture() {
    const store = new InMemoryJournalStore();
    return { store, openAnother: async () => store.openAnother(), dispose: async () => {} };
  },
});
