import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteJournalStore } from '@orchestrator/store';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildProvenance,
  parseProvenanceBlock,
  renderProvenanceBlock,
  verifyProvenance,
  withProvenanceBlock,
} from '../src/index.ts';
import { recordRun } from './recorded-run.ts';
import { temporaryDirectory } from './sandbox-repository.ts';

const stores: SqliteJournalStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function journalWithRun() {
  const file = join(temporaryDirectory('journal'), 'journal.db');
  const journal = SqliteJournalStore.open(file);
  stores.push(journal);
  await recordRun(journal, 'r-1');
  return { journal, file, events: await journal.read('r-1') };
}

describe('provenance', () => {
  it('summarises models with served versions, hashes, tests, spend and policy verdicts from the journal', async () => {
    const { events } = await journalWithRun();
    const provenance = buildProvenance(events);
    expect(provenance.runId).toBe('r-1');
    expect(provenance.task).toBe('add LICENSE');
    expect(provenance.models).toEqual([
      {
        role: 'architect',
        provider: 'scripted',
        model: 'scripted-architect',
        versions: ['scripted-architect-2026-01'],
        calls: 1,
      },
      { role: 'builder', provider: 'scripted', model: 'scripted-builder', versions: ['scripted-builder'], calls: 1 },
    ]);
    expect(provenance.calls).toHaveLength(2);
    for (const call of provenance.calls) {
      expect(call.requestSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(call.responseSha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(provenance.tests.map((test) => `${test.phase}:${test.exitCode}:${test.sandbox ?? '-'}`)).toEqual([
      'red:1:-',
      'green:0:bubblewrap',
    ]);
    expect(provenance.spend).toEqual({ usd: 0.003, inputTokens: 220, outputTokens: 100 });
    expect(provenance.policy).toEqual([
      { gate: 'secrets', verdict: 'pass', findings: 0 },
      { gate: 'licenses', verdict: 'warn', findings: 1 },
    ]);
  });

  it('renders a fenced orchestrator-provenance block that parses back, without prompt contents', async () => {
    const { events } = await journalWithRun();
    const provenance = buildProvenance(events);
    const body = `Adds a LICENSE.\n\n${renderProvenanceBlock(provenance)}`;
    expect(body).toContain('```orchestrator-provenance\n');
    expect(body).not.toContain('prompt for architect');
    expect(parseProvenanceBlock(body)).toEqual({ found: true, provenance });
    expect(parseProvenanceBlock('no block here')).toEqual({ found: false });
    const broken = parseProvenanceBlock('```orchestrator-provenance\n{"runId": 1}\n```');
    expect(broken.found && 'error' in broken && broken.error).toContain('schema v1');
    const replaced = withProvenanceBlock(body, { ...provenance, runId: 'r-2' });
    expect(replaced.match(/```orchestrator-provenance/g)).toHaveLength(1);
    expect(replaced.startsWith('Adds a LICENSE.')).toBe(true);
    expect(parseProvenanceBlock(replaced)).toMatchObject({ provenance: { runId: 'r-2' } });
  });

  it('verifies every hash against the journal contents and reports each kind of mismatch', async () => {
    const { journal, file, events } = await journalWithRun();
    const provenance = buildProvenance(events);
    expect(await verifyProvenance(provenance, journal)).toEqual({
      ok: true,
      runId: 'r-1',
      hashesChecked: 4,
      mismatches: [],
    });

    const forged = structuredClone(provenance);
    forged.calls[0]!.responseSha256 = 'f'.repeat(64);
    forged.calls.pop();
    const report = await verifyProvenance(forged, journal);
    expect(report.ok).toBe(false);
    expect(report.mismatches.map((mismatch) => `${mismatch.callId}:${mismatch.field}:${mismatch.kind}`)).toEqual([
      'c1:response:journal-differs',
      'c1:response:blob-missing',
      'c2:request:missing-from-block',
    ]);

    // Tamper with a stored prompt behind the journal's back: the recomputed hash no longer matches.
    const database = new DatabaseSync(file);
    database
      .prepare('UPDATE blobs SET content = ? WHERE sha256 = ?')
      .run('tampered', provenance.calls[1]!.requestSha256);
    database.close();
    const tampered = await verifyProvenance(provenance, journal);
    expect(tampered.mismatches).toEqual([
      expect.objectContaining({
        callId: 'c2',
        field: 'request',
        kind: 'hash-mismatch',
        expected: provenance.calls[1]!.requestSha256,
      }),
    ]);

    expect((await verifyProvenance({ ...provenance, runId: 'r-unknown' }, journal)).mismatches[0]?.kind).toBe(
      'run-missing',
    );
  });
});
