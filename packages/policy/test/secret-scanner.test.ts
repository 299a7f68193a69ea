import { describe, expect, it } from 'vitest';
import { formatVerdict } from '../src/gates/format-verdict.ts';
import { runGate } from '../src/gates/run-gate.ts';
import { policyFileSchema } from '../src/policy-file/policy-file-schema.ts';
import { targetFromFile, targetFromText, targetsFromDiff } from '../src/scan-target.ts';
import { redactSecretsInText } from '../src/secrets/redact-prompt.ts';
import { scanSecrets } from '../src/secrets/secret-scanner.ts';
import {
  allSecrets,
  genericApiKey,
  githubToken,
  newFileDiff,
  npmToken,
  privateKeyBlock,
  slackToken,
  stripeLikeKey,
} from './fake-secrets.ts';

const rules = async (path: string, content: string) =>
  (await scanSecrets([targetFromFile(path, content)])).map((finding) => finding.ruleId);

describe('secret scanner', () => {
  it('finds tokens of the maintained secretlint rule set, with line and column', async () => {
    const findings = await scanSecrets([
      targetFromFile('src/config.ts', `const a = 1;\nconst token = "${githubToken}";`),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'secret.github.github-token',
      line: 2,
      column: 16,
      severity: 'critical',
    });
    expect(await rules('a.txt', slackToken)).toContain('secret.slack.slack-token');
    expect(await rules('a.txt', `//registry.npmjs.org/:_authToken=${npmToken}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^secret\.npm/)]),
    );
    expect(await rules('key.pem', privateKeyBlock)).toEqual(
      expect.arrayContaining([expect.stringMatching(/privatekey/)]),
    );
  });

  it('finds generic high-entropy keys and literal passwords by keyword + entropy', async () => {
    expect(await rules('src/a.ts', `const apiKey = "${genericApiKey}";`)).toEqual(['secret.high-entropy-key']);
    expect(await rules('src/a.py', `DB_PASSWORD = "s3cr3t-Passw0rd!"`)).toEqual(['secret.hard-coded-password']);
  });

  it('flags a committed .env file and each real value in it, but not .env.example', async () => {
    const env = `# local\nSTRIPE_KEY=${stripeLikeKey}\nNODE_ENV=production\nDEBUG=true\nEMPTY=\n`;
    expect(await rules('.env', env)).toEqual(['secret.stripe-secret-key', 'secret.dotenv-file']);
    expect(await rules('.env', 'PAYMENT_API_KEY=kq81LmZp0Rt7Vb2N\nNODE_ENV=production\n')).toEqual([
      'secret.dotenv-file',
      'secret.dotenv-value',
    ]);
    expect(await rules('config/.env.production', env)).toContain('secret.dotenv-file');
    expect(await rules('.env.example', 'STRIPE_KEY=your-key-here\nDEBUG=true\n')).toEqual([]);
  });

  it('does not flag look-alikes: references, placeholders, hashes, identifiers, short tokens', async () => {
    const benign = [
      'const apiKey = process.env.API_KEY;',
      'const token = await getToken(request);',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source code under test, not a template
      'api_key: ${API_KEY}',
      'password: "changeme"',
      'const secretName = "database-password-secret-name";',
      '"integrity": "sha512-3ODbJpWx6uL8Yx0kT8e0bT2f3nT0x1Kp+2bTz9FqN8YQ==",',
      'const commit = "9bd0e8e4c0a1f7d3b2e6a5c4d3e2f1a0b9c8d7e6";',
      'const id = "123e4567-e89b-12d3-a456-426614174000";',
      'const token = "ghp_short";',
      'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE # documented example key',
    ].join('\n');
    expect(await rules('src/benign.ts', benign)).toEqual([]);
  });

  it('scans only added lines of a diff and reports new-file line numbers', async () => {
    const diff = [
      'diff --git a/src/a.ts b/src/a.ts',
      '--- a/src/a.ts',
      '+++ b/src/a.ts',
      '@@ -10,2 +10,3 @@',
      ` const old = "${githubToken}";`,
      '+const fresh = 1;',
      `+const token = "${githubToken}";`,
      '',
    ].join('\n');
    const findings = await scanSecrets(targetsFromDiff(diff));
    expect(findings.map((finding) => [finding.path, finding.line])).toEqual([['src/a.ts', 12]]);
  });

  it('scans commit messages, PR bodies and prompts', async () => {
    const findings = await scanSecrets([targetFromText('commit-message', `fix: use token ${githubToken}`)]);
    expect(findings[0]).toMatchObject({ path: '<commit-message>', source: 'commit-message' });
  });

  it('never echoes a secret: findings, verdict text and JSON carry a redacted fingerprint only', async () => {
    const content = [
      `GITHUB=${githubToken}`,
      `SLACK=${slackToken}`,
      `NPM=${npmToken}`,
      `STRIPE=${stripeLikeKey}`,
      `API_KEY=${genericApiKey}`,
    ].join('\n');
    const verdict = await runGate({
      gate: 'pre-commit',
      diff: newFileDiff('.env', content),
      commitMessage: `add ${githubToken}`,
      policy: policyFileSchema.parse({}),
    });
    expect(verdict.verdict).toBe('block');
    const outputs = [JSON.stringify(verdict), formatVerdict(verdict)];
    for (const output of outputs) for (const secret of allSecrets) expect(output).not.toContain(secret);
    const github = verdict.findings.find((entry) => entry.finding.ruleId === 'secret.github.github-token');
    expect(github?.finding.redacted).toMatch(/^ghp_…sha256:[0-9a-f]{12}$/);
  });

  it('redacts secrets from a prompt before it leaves the machine', async () => {
    const redacted = await redactSecretsInText(`Please debug: token=${githubToken} fails`);
    expect(redacted.text).not.toContain(githubToken);
    expect(redacted.text).toMatch(/\[REDACTED ghp_…sha256:[0-9a-f]{12}\]/);
    expect(redacted.findings).toHaveLength(1);
  });
});

describe('secret scanner over many files', () => {
  it('leaves no secretlint profiler marks behind (they would grow without bound)', async () => {
    const { performance } = await import('node:perf_hooks');
    const targets = Array.from({ length: 600 }, (_, index) =>
      targetFromFile(`src/file-${index}.ts`, `export const value${index} = ${index};`),
    );
    await scanSecrets(targets);
    const marks = performance.getEntriesByType('mark').filter((entry) => entry.name.startsWith('@core>'));
    expect(marks).toEqual([]);
  });
});
