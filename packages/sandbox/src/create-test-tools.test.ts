import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestTools } from './create-test-tools.ts';

describe('createTestTools', () => {
  it('applies the configured test command and records the opt-out in every result', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'test-tools-'));
    try {
      writeFileSync(join(repo, 'go.mod'), 'module example.com/x\n');
      const warnings: string[] = [];
      const tools = createTestTools({
        kind: 'none',
        testCommand: 'echo "1 passed in 0.01s"',
        onWarning: (warning) => warnings.push(warning),
      });
      const detection = tools.detectTestCommand(repo);
      expect(detection).toMatchObject({ source: 'config', command: 'echo "1 passed in 0.01s"' });
      const result = await tools.sandbox.run(detection?.command ?? '', { cwd: repo });
      expect(result).toMatchObject({ sandbox: 'none', exitCode: 0, summary: { framework: 'pytest', passed: 1 } });
      expect(warnings).toHaveLength(1);
      expect(tools.describeTestRun(result, 'check')).toEqual({
        phase: 'check',
        command: 'echo "1 passed in 0.01s"',
        exitCode: 0,
        summary: '1 passed, 0 failed, 0 skipped (pytest); UNSANDBOXED (--sandbox none)',
        durationMs: result.durationMs,
      });
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
