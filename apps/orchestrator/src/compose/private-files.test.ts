import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@orchestrator/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBudgetWiring } from './budget-wiring.ts';
import { openRuntimeJournalStore } from './create-runtime.ts';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

let previousUmask = 0;
beforeEach(() => {
  // The usual umask: without explicit modes the data directory would be 0755 and the database files 0644.
  previousUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(previousUmask);
});

describe('the data directory and its databases are private', () => {
  it('journal, budget and response cache: files 0600 (WAL included) in a 0700 data directory', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'private-files-')), 'data');
    const store = await openRuntimeJournalStore({ dataDir });
    const budget = await openBudgetWiring({ config: configSchema.parse({ budget: { maxUsd: 1 } }), dataDir });
    await store.createRun('r-1', {});
    await store.putBlob('a prompt');
    await budget.ledger.openRun('r-1');
    expect(modeOf(dataDir)).toBe('700');
    const files = readdirSync(dataDir);
    expect(files).toContain('journal.db');
    for (const file of files) expect(modeOf(join(dataDir, file)), file).toBe('600');
    await budget.close();
    await store.close();
  });

  it('tightens a data directory an earlier version left world-readable', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'private-files-')), 'data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    await (await openRuntimeJournalStore({ dataDir })).close();
    expect(modeOf(dataDir)).toBe('700');
  });
});
