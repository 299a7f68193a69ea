import { ModelCallError, type ModelRequest, parseProtocolMessage } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { faultsOfModelId, ScriptedModel } from './scripted-model.ts';

function request(
  kind: 'propose' | 'implement' | 'verify' | 'test',
  role: string,
  body: string,
  repair = false,
  task = 'add a README section',
): ModelRequest {
  return {
    system: [{ text: 'brief' }],
    messages: [
      { role: 'user', content: body },
      ...(repair
        ? [
            { role: 'assistant' as const, content: 'bad' },
            { role: 'user' as const, content: 'Your previous reply was not a valid message' },
          ]
        : []),
    ],
    maxOutputTokens: 1000,
    output: { name: kind, schema: {} },
    context: { role, task },
  };
}

const readmePrompt =
  '## Task\nadd a README section\n\n## Repository context\n#### Repository files\nREADME.md\n\n<file path="README.md">\n# demo\n</file>';

describe('ScriptedModel', () => {
  it('answers deterministically, records every call and reports usage', async () => {
    const model = new ScriptedModel();
    const first = await model.generate(request('implement', 'builder', readmePrompt));
    const second = await model.generate(request('implement', 'builder', readmePrompt));
    expect(second.text).toBe(first.text);
    expect(model.calls).toHaveLength(2);
    expect(first.usage.inputTokens).toBeGreaterThan(0);
    const parsed = parseProtocolMessage('implement', first);
    expect(parsed.success).toBe(true);
    if (parsed.success && parsed.message.kind === 'implement') {
      expect(parsed.message.edits[0]).toMatchObject({ kind: 'search-replace', path: 'README.md', search: '# demo' });
    }
  });

  it('reads faults from the model id', () => {
    expect(faultsOfModelId('scripted-v1+planted-bug+malformed-json')).toEqual(['planted-bug', 'malformed-json']);
    expect(new ScriptedModel({ modelId: 'scripted-v1+wrong-schema' }).faults.has('wrong-schema')).toBe(true);
  });

  it('malformed-json breaks the first reply of a turn but not the repair', async () => {
    const model = new ScriptedModel({ faults: ['malformed-json'] });
    const bad = await model.generate(request('propose', 'architect', readmePrompt));
    expect(parseProtocolMessage('propose', bad)).toMatchObject({ success: false, reason: 'not-json' });
    const repaired = await model.generate(request('propose', 'architect', readmePrompt, true));
    expect(parseProtocolMessage('propose', repaired).success).toBe(true);
  });

  it('planted-bug makes the first implementation buggy, and the Critic flags it as high risk with a fix', async () => {
    const builder = new ScriptedModel({ faults: ['planted-bug'] });
    const buggy = JSON.parse((await builder.generate(request('implement', 'builder', readmePrompt))).text);
    expect(JSON.stringify(buggy.edits)).toContain('npm tset');
    const critic = new ScriptedModel();
    const diff = '## Current diff\n```diff\n--- a/README.md\n+++ b/README.md\n+npm tset\n```';
    const verdict = JSON.parse((await critic.generate(request('verify', 'critic', `${readmePrompt}\n\n${diff}`))).text);
    expect(verdict).toMatchObject({
      verdict: 'revise',
      risks: [{ severity: 'high', fix: expect.stringContaining('npm test') }],
    });
  });

  it('plays the Test-writer: an acceptance spec for the function task, a node:test file for a README task', async () => {
    const model = new ScriptedModel();
    const fn = parseProtocolMessage(
      'test',
      await model.generate(
        request('test', 'test-writer', '## Task\nadd a function with its test', false, 'add a function with its test'),
      ),
    );
    expect(fn.success && fn.message.kind === 'test' && fn.message.acceptance).toMatchObject({
      targetFile: 'src/slugify.js',
      functionName: 'slugify',
      examples: expect.arrayContaining([{ arguments: ['Hello World'], expected: 'hello-world' }]),
    });
    const readme = parseProtocolMessage('test', await model.generate(request('test', 'test-writer', readmePrompt)));
    expect(readme.success && readme.message.kind === 'test' && readme.message.edits[0]).toMatchObject({
      kind: 'create',
      path: 'test/readme-usage.acceptance.test.mjs',
      content: expect.stringContaining('includes("## Usage")'),
    });
  });

  it('the Critic revises an implementation whose tests fail, and cites the run', async () => {
    const critic = new ScriptedModel();
    const diff = '## Current diff\n```diff\n--- a/README.md\n+++ b/README.md\n+## Usage\n```';
    const tests = '## Test results\n### green · turn 2 · `npm test` · exit 1\n1 passed, 1 failed';
    const verdict = JSON.parse(
      (
        await critic.generate(
          request(
            'verify',
            'critic',
            `${readmePrompt}\n\n${diff}\n\n${tests}\n\n### turn 2 · builder · implement\n\`\`\`json\n{}\n\`\`\``,
          ),
        )
      ).text,
    );
    expect(verdict).toMatchObject({
      verdict: 'revise',
      checks: expect.arrayContaining([{ name: '`npm test` passes', passed: false }]),
      evidence: [{ kind: 'test-output', command: 'npm test', exitCode: 1 }],
    });
  });

  it('an already aborted call fails without answering', async () => {
    const model = new ScriptedModel();
    const controller = new AbortController();
    controller.abort();
    await expect(
      model.generate({ ...request('propose', 'architect', readmePrompt), abortSignal: controller.signal }),
    ).rejects.toThrow();
    expect(model.calls).toEqual([]);
  });

  it('streams one delta and a finish, or an error part for model-error', async () => {
    const parts = [];
    for await (const part of new ScriptedModel().stream(request('propose', 'architect', readmePrompt)))
      parts.push(part.type);
    expect(parts).toEqual(['text-delta', 'finish']);
    const failing = new ScriptedModel({ faults: ['model-error'] });
    await expect(failing.generate(request('propose', 'architect', readmePrompt))).rejects.toSatisfy(
      ModelCallError.isModelCallError,
    );
    const errorParts = [];
    for await (const part of failing.stream(request('propose', 'architect', readmePrompt))) errorParts.push(part.type);
    expect(errorParts).toEqual(['error']);
  });
});
