import type { ModelPort, ModelRequest, ModelResponse } from '@orchestrator/spec';
import { emptyUsage, ModelOutputError } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { reviewWithModel } from '../src/review/model-reviewer.ts';
import { githubToken, newFileDiff } from './fake-secrets.ts';

/** A model that replies with a fixed object and records what it was asked. */
function recordingModel(reply: unknown): ModelPort & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  const respond = (request: ModelRequest): ModelResponse => {
    requests.push(request);
    return {
      text: JSON.stringify(reply),
      object: reply,
      finishReason: 'stop',
      usage: { ...emptyUsage },
      modelId: 'fake-reviewer',
    };
  };
  return {
    specificationVersion: 'v1',
    provider: 'fake',
    modelId: 'fake-reviewer',
    requests,
    generate: async (request) => respond(request),
    async *stream(request) {
      yield { type: 'finish', response: respond(request) };
    },
    countTokens: async () => ({ inputTokens: 100, exact: false }),
  };
}

const diff = newFileDiff(
  'src/handler.ts',
  `const token = "${githubToken}";\nexport const run = (req) => eval(req.body.code);`,
);

describe('model reviewer', () => {
  it('asks for structured findings and returns them as review findings', async () => {
    const model = recordingModel({
      findings: [
        {
          path: 'src/handler.ts',
          line: 2,
          category: 'eval',
          severity: 'high',
          message: 'eval of request input',
          fix: 'parse instead',
        },
      ],
    });
    const findings = await reviewWithModel(model, diff);
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'review.model.eval',
        path: 'src/handler.ts',
        line: 2,
        severity: 'high',
        scanner: 'model-reviewer',
      }),
    ]);
    const request = model.requests[0]!;
    expect(request.output?.name).toBe('review');
    expect(request.context?.role).toBe('reviewer');
  });

  it('never sends the secrets of the diff to the model, nor repeats one it echoes', async () => {
    const model = recordingModel({
      findings: [
        {
          path: 'src/handler.ts',
          line: 1,
          category: 'hard-coded-credential',
          severity: 'critical',
          message: `token ${githubToken} is hard-coded`,
          fix: 'use env',
        },
      ],
    });
    const findings = await reviewWithModel(model, diff);
    expect(JSON.stringify(model.requests)).not.toContain(githubToken);
    expect(model.requests[0]?.messages[0]?.content).toContain('[REDACTED ghp_…sha256:');
    expect(JSON.stringify(findings)).not.toContain(githubToken);
  });

  it('rejects a reply that does not match the schema with a ModelOutputError', async () => {
    const model = recordingModel({ findings: [{ path: 'src/handler.ts', line: 0, category: 'nonsense' }] });
    const error = await reviewWithModel(model, diff).catch((caught: unknown) => caught);
    expect(ModelOutputError.isInstance(error)).toBe(true);
    expect((error as ModelOutputError).code).toBe('review-output-invalid');
  });
});
