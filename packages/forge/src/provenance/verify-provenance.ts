import { createHash } from 'node:crypto';
import type { JournalStore, Provenance } from '@orchestrator/spec';
import { buildProvenance } from './build-provenance.ts';

/** One disagreement between a provenance block and the journal. */
export interface ProvenanceMismatch {
  /** The model call concerned (or `run` for run-level problems). */
  callId: string;
  /** Which hash: the prompt (`request`) or the `response`. */
  field: 'request' | 'response' | 'run';
  /**
   * `blob-missing`: the journal has no content under the hash; `hash-mismatch`: the stored content does not hash to
   * it; `journal-differs`: the journal records another hash for this call; `not-in-journal`: the call is unknown to
   * the journal; `missing-from-block`: the journal has a call the block omits; `run-missing`: no such run.
   */
  kind: 'blob-missing' | 'hash-mismatch' | 'journal-differs' | 'not-in-journal' | 'missing-from-block' | 'run-missing';
  /** The hash the block claims. */
  expected?: string;
  /** What the journal holds instead. */
  actual?: string;
}

/** Outcome of a verification: a result, never an exception, since a mismatch is an expected finding. */
export interface ProvenanceVerification {
  ok: boolean;
  runId: string;
  /** Number of hashes recomputed from stored content. */
  hashesChecked: number;
  mismatches: ProvenanceMismatch[];
}

const sha256 = (content: string) => createHash('sha256').update(content, 'utf8').digest('hex');

/**
 * Recomputes every prompt and response hash of a provenance block from the contents stored in the journal, and
 * checks that the block lists exactly the journal's model calls with the journal's hashes.
 */
export async function verifyProvenance(
  provenance: Provenance,
  journal: Pick<JournalStore, 'read' | 'getBlob'>,
): Promise<ProvenanceVerification> {
  const mismatches: ProvenanceMismatch[] = [];
  const events = await journal.read(provenance.runId);
  if (events.length === 0) {
    return {
      ok: false,
      runId: provenance.runId,
      hashesChecked: 0,
      mismatches: [{ callId: 'run', field: 'run', kind: 'run-missing' }],
    };
  }
  const recorded = new Map(buildProvenance(events).calls.map((call) => [call.callId, call]));
  let hashesChecked = 0;

  const checkBlob = async (callId: string, field: 'request' | 'response', expected: string) => {
    const content = await journal.getBlob(expected);
    if (content === undefined) {
      mismatches.push({ callId, field, kind: 'blob-missing', expected });
      return;
    }
    hashesChecked += 1;
    const actual = sha256(content);
    if (actual !== expected) mismatches.push({ callId, field, kind: 'hash-mismatch', expected, actual });
  };

  for (const call of provenance.calls) {
    const journalCall = recorded.get(call.callId);
    if (journalCall === undefined) {
      mismatches.push({ callId: call.callId, field: 'request', kind: 'not-in-journal', expected: call.requestSha256 });
      continue;
    }
    recorded.delete(call.callId);
    if (journalCall.requestSha256 !== call.requestSha256) {
      mismatches.push({
        callId: call.callId,
        field: 'request',
        kind: 'journal-differs',
        expected: call.requestSha256,
        actual: journalCall.requestSha256,
      });
    }
    if (journalCall.responseSha256 !== call.responseSha256) {
      mismatches.push({
        callId: call.callId,
        field: 'response',
        kind: 'journal-differs',
        ...(call.responseSha256 === undefined ? {} : { expected: call.responseSha256 }),
        ...(journalCall.responseSha256 === undefined ? {} : { actual: journalCall.responseSha256 }),
      });
    }
    await checkBlob(call.callId, 'request', call.requestSha256);
    if (call.responseSha256 !== undefined) await checkBlob(call.callId, 'response', call.responseSha256);
  }
  for (const missing of recorded.values()) {
    mismatches.push({
      callId: missing.callId,
      field: 'request',
      kind: 'missing-from-block',
      actual: missing.requestSha256,
    });
  }
  return { ok: mismatches.length === 0, runId: provenance.runId, hashesChecked, mismatches };
}
