import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileChunks } from '../src/file-chunks.ts';
import { runGate, skippedNotes } from '../src/gates/run-gate.ts';
import { policyFileSchema } from '../src/policy-file/policy-file-schema.ts';

const directory = mkdtempSync(join(tmpdir(), 'policy-chunks-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('large files', () => {
  it('are read in chunks of whole lines that cover every line, with their line numbers', () => {
    const lines = Array.from({ length: 5000 }, (_, index) => `line ${index + 1} ${'x'.repeat(index % 50)}`);
    const path = join(directory, 'big.txt');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const seen = new Map<number, string>();
    let chunks = 0;
    for (const chunk of readFileChunks(path, 16 * 1024)) {
      chunks += 1;
      for (const [index, text] of chunk.content.split('\n').entries()) seen.set(chunk.firstLine + index, text);
    }
    expect(chunks).toBeGreaterThan(5);
    expect(seen.size).toBe(5000);
    for (const [number, text] of seen) expect(text).toBe(lines[number - 1]);
  });

  it('find a secret past the first chunk at its real line, once, even where chunks overlap', async () => {
    const token = ['gh', 'p_', 'Zq3vT8kP1mXc7Rb2Nw9Ly4Hd6Fs0Ja5GeUoW1'].join('');
    // Lines of one length, so that putting the token in does not move the chunk boundaries.
    const lines = Array.from(
      { length: 3000 },
      (_, index) => `const v${String(index).padStart(4, '0')} = "${'a'.repeat(40)}";`,
    );
    const path = join(directory, 'bundle.js');
    writeFileSync(path, lines.join('\n'));
    const second = [...readFileChunks(path, 8 * 1024)][1];
    const inOverlap = second?.firstLine ?? 0; // the first line of chunk 2 is also in chunk 1
    lines[inOverlap - 1] = `const t${String(inOverlap).padStart(4, '0')} = "${token}";`;
    writeFileSync(path, lines.join('\n'));
    const files = [...readFileChunks(path, 8 * 1024)].map((chunk) => ({ path: 'bundle.js', ...chunk }));
    expect(files.length).toBeGreaterThan(3);
    expect(files[0]?.content).toContain(token);
    expect(files[1]?.content).toContain(token);
    const verdict = await runGate({ gate: 'pre-commit', files, policy: policyFileSchema.parse({}) });
    const secrets = verdict.findings.filter((entry) => entry.finding.type === 'secret');
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.finding.line).toBe(inOverlap);
  });

  it('that are not scanned are named in the verdict with the reason', async () => {
    const verdict = await runGate({
      gate: 'pre-commit',
      files: [],
      skipped: [{ path: 'logo.png', reason: 'binary file' }],
      policy: policyFileSchema.parse({}),
    });
    expect(verdict.notes).toEqual(['Not scanned (binary file): logo.png.']);
    const many = Array.from({ length: 12 }, (_, index) => ({ path: `f${index}.bin`, reason: 'binary file' }));
    expect(skippedNotes(many)[0]).toContain('and 2 more');
  });
});
