// Size bounds. A Builder that sends a 32 MiB edit is refused with a clear, repairable error (the run goes on once it
// sends a normal change) and nothing of it is printed in full or applied. A test that tries to write 1 GiB into the
// worktree is stopped at the disk quota (10 MiB here, to stay fast): the step fails with a clear reason, the file is
// removed, the run pauses instead of staying "running", and resuming it works.
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printRunResult } from '@orchestrator/cli/compose/print-run-result';
import type { Output } from '@orchestrator/cli/output/terminal';
import { projectRun } from '@orchestrator/kernel';
import type { JournalEvent, ModelRequest, RunPauseData, TestLeftoversData } from '@orchestrator/spec';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTestLimits, type HostileRun, openHostileRun, type ReplyRewrite } from './support/hostile-model-run.ts';
import { createHostileRepository, testGit } from './support/hostile-repository.ts';
import { sandboxSkipMessage, sandboxSuitesRun } from './support/sandbox-requirement.ts';

const mebibyte = 1024 * 1024;
const hugeContent = 'A'.repeat(32 * mebibyte);

const isRepair = (request: ModelRequest) => request.messages.length > 1;

/** The Builder's first reply of each turn carries `content` as a file; its repair reply (unless `always`) is normal. */
function oversizedBuilder(always: boolean, content = hugeContent): ReplyRewrite {
  return (role, message, request) => {
    if (role !== 'builder' || message.kind !== 'implement' || (!always && isRepair(request))) return message;
    const edits = Array.isArray(message.edits) ? message.edits : [];
    return { ...message, edits: [...edits, { kind: 'create', path: 'assets/blob.txt', content }] };
  };
}

let opened: HostileRun[] = [];
afterEach(async () => {
  for (const run of opened) await run.close();
  opened = [];
});

async function repository(files: Record<string, string>): Promise<string> {
  const repo = realpathSync(mkdtempSync(join(tmpdir(), 'orchestrator-oversize-repo-')));
  await createHostileRepository(repo, files);
  return repo;
}

/** What the CLI would print: the live run printer's lines and the result block. */
function terminalText(run: HostileRun, result: Parameters<typeof printRunResult>[1]): string {
  const lines = [...run.printed];
  const output: Output = {
    json: false,
    line: (text = '') => lines.push(text),
    data: (_value, human) => human(),
    progress: (_label, work) => work(() => {}),
  };
  printRunResult(output, result);
  return lines.join('\n');
}

const plainRepository = {
  'package.json': '{ "name": "app", "version": "1.0.0", "license": "MIT" }\n',
  'README.md': '# app\n',
};

describe.skipIf(!sandboxSuitesRun())('size bounds on what a model writes and a test leaves', () => {
  it('a 32 MiB edit is refused with a clear message the model can act on, and nothing is printed in full', async () => {
    const repo = await repository(plainRepository);
    const run = await openHostileRun(repo, oversizedBuilder(false));
    opened.push(run);
    const result = await run.start('add a README section on deployment');
    expect(result.status, JSON.stringify(result.pause)).toBe('converged');

    const builder = run.models.find((model) =>
      model.requests.some((request) => request.messages[0]?.content.includes('As the Builder')),
    );
    const repair = builder?.requests.find(isRepair);
    const repairText = repair?.messages.at(-1)?.content ?? '';
    expect(repairText).toContain(
      'edits too large: edit 2 (assets/blob.txt) is 32.0 MiB, over the 1.0 MiB limit per edit',
    );
    // The model is shown the start of its reply, not 32 MiB of it again.
    expect(JSON.stringify(repair).length).toBeLessThan(200_000);

    expect(testGit(repo, 'ls-tree', '-r', '--name-only', result.branch)).not.toContain('assets/blob.txt');
    expect(existsSync(join(run.dataDir, 'worktrees', result.runId, 'assets/blob.txt'))).toBe(false);
    const events = await run.cli.runtime.store.read(result.runId);
    const messages = events.filter((event) => event.type === 'message');
    expect(JSON.stringify(messages).length).toBeLessThan(mebibyte);
    const printed = terminalText(run, result);
    expect(printed.length).toBeLessThan(200_000);
    expect(printed).not.toContain('A'.repeat(4096));
  });

  it('a Builder that only ever sends oversized edits pauses the run with the reason, it does not crash', async () => {
    // 2 MiB is over the bound as well and keeps this test fast (the journal's secret scan reads every reply).
    const run = await openHostileRun(
      await repository(plainRepository),
      oversizedBuilder(true, 'B'.repeat(2 * mebibyte)),
    );
    opened.push(run);
    const result = await run.start('add a README section on deployment');
    expect(result.status).toBe('paused');
    expect(result.pause?.reason).toBe('malformed-output');
    expect(result.pause?.detail).toContain('(too-large): edits too large: edit 2 (assets/blob.txt) is 2.0 MiB');
    const printed = terminalText(run, result);
    expect(printed).toContain('over the 1.0 MiB limit per edit');
    expect(printed.length).toBeLessThan(200_000);
  });

  it('a test writing a huge file fails its step at the disk quota, the file is removed, and the run resumes', async () => {
    const repo = await repository({
      'package.json':
        '{ "name": "app", "version": "1.0.0", "license": "MIT", "type": "module", "scripts": { "test": "node --test" } }\n',
      'README.md': '# app\n',
    });
    // Tries to write 1 GiB, a MiB at a time; the sandbox's file-size limit stops it just past the quota.
    const fillingTest = `import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { test } from 'node:test';

test('warm the cache', () => {
  mkdirSync('out', { recursive: true });
  const file = openSync('out/huge.bin', 'w');
  const chunk = Buffer.alloc(${mebibyte}, 120);
  try {
    for (let written = 0; written < 1024; written += 1) writeSync(file, chunk);
  } finally {
    closeSync(file);
  }
});
`;
    let testReplies = 0;
    const run = await openHostileRun(repo, (role, message) => {
      if (role !== 'test-writer' || message.kind !== 'test') return message;
      testReplies += 1;
      const edits = Array.isArray(message.edits) ? message.edits : [];
      // The first acceptance test comes with the filling test; asked again after the pause, the model drops it.
      const extra =
        testReplies === 1
          ? { kind: 'create', path: 'test/cache.test.mjs', content: fillingTest }
          : { kind: 'delete', path: 'test/cache.test.mjs' };
      return { ...message, edits: [...edits, extra] };
    });
    opened.push(run);
    const quota = 10 * mebibyte;
    const paused = await run.start('add a slugify function with its test', {
      ...defaultTestLimits,
      testDiskQuotaBytes: quota,
    });
    expect(paused.status).toBe('paused');
    expect(paused.pause?.reason).toBe('test-disk-quota');
    expect(paused.pause?.detail).toContain(
      'over the 10.0 MiB disk quota of a test run: out/huge.bin (10.0 MiB, added)',
    );
    expect(paused.pause?.detail).toContain('Those files were removed.');
    expect(existsSync(join(run.dataDir, 'worktrees', paused.runId, 'out/huge.bin'))).toBe(false);

    const events: JournalEvent[] = await run.cli.runtime.store.read(paused.runId);
    expect(projectRun(paused.runId, events).status).toBe('paused');
    const leftovers = events.filter((event) => event.type === 'test-leftovers').map((event) => event.data);
    expect(leftovers).toEqual([
      expect.objectContaining({
        stage: 'test-run',
        phase: 'red',
        action: 'dropped',
        quotaExceededBytes: quota,
        files: [{ path: 'out/huge.bin', change: 'added', bytes: quota + 1 }],
      } satisfies Partial<TestLeftoversData>),
    ]);
    expect((events.at(-1)?.data as RunPauseData | undefined)?.reason).toBe('test-disk-quota');

    const resumed = await run.resume(paused.runId);
    expect(resumed.status, JSON.stringify(resumed.pause)).toBe('converged');
    const committed = testGit(repo, 'ls-tree', '-r', '--name-only', resumed.branch);
    expect(committed).toContain('src/slugify.js');
    expect(committed).not.toContain('out/huge.bin');
  });
});

describe.skipIf(!sandboxSuitesRun())('the disk quota counts every file a test writes', () => {
  it('many files, each under the per-file limit, still stop at the quota and are all removed', async () => {
    const repo = await repository({
      'package.json':
        '{ "name": "app", "version": "1.0.0", "license": "MIT", "type": "module", "scripts": { "test": "node --test" } }\n',
      'README.md': '# app\n',
    });
    const scatteringTest = `import { mkdirSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';

test('write fixtures', () => {
  mkdirSync('out/parts', { recursive: true });
  const chunk = Buffer.alloc(${mebibyte}, 121);
  for (let index = 0; index < 200; index += 1) writeFileSync('out/parts/' + index + '.bin', chunk);
});
`;
    const run = await openHostileRun(repo, (role, message) => {
      if (role !== 'test-writer' || message.kind !== 'test') return message;
      const edits = Array.isArray(message.edits) ? message.edits : [];
      return {
        ...message,
        edits: [...edits, { kind: 'create', path: 'test/parts.test.mjs', content: scatteringTest }],
      };
    });
    opened.push(run);
    const paused = await run.start('add a slugify function with its test', {
      ...defaultTestLimits,
      testDiskQuotaBytes: 10 * mebibyte,
    });
    expect(paused.status).toBe('paused');
    expect(paused.pause?.reason).toBe('test-disk-quota');
    expect(paused.pause?.detail).toContain('out/parts/');
    expect(existsSync(join(run.dataDir, 'worktrees', paused.runId, 'out'))).toBe(false);
  });
});

if (!sandboxSuitesRun()) {
  describe('size bounds on what a model writes and a test leaves', () => {
    it.skip(sandboxSkipMessage, () => {});
  });
}
