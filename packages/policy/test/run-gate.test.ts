import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyBlockedError, policyVerdictDataSchema } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { enforceVerdict, formatVerdict } from '../src/gates/format-verdict.ts';
import { loadPolicyContext } from '../src/gates/policy-context.ts';
import { runGate } from '../src/gates/run-gate.ts';
import { toPolicyVerdictEventData } from '../src/gates/verdict-event.ts';
import { parsePolicy } from '../src/policy-file/load-policy.ts';
import { githubToken, newFileDiff } from './fake-secrets.ts';

describe('gates', () => {
  it('blocks with an actionable error: file:line, rule, why, and a pasteable allowlist entry', async () => {
    const verdict = await runGate({
      gate: 'pre-commit',
      diff: newFileDiff('src/a.ts', `const x = 1;\nconst token = "${githubToken}";`),
      policy: parsePolicy(''),
    });
    expect(verdict.verdict).toBe('block');
    let error: unknown;
    try {
      enforceVerdict(verdict);
    } catch (caught) {
      error = caught;
    }
    expect(PolicyBlockedError.isInstance(error)).toBe(true);
    const blocked = error as PolicyBlockedError;
    expect(blocked.code).toBe('policy-blocked');
    expect(blocked.message).toContain('src/a.ts:2 [secret.github.github-token]');
    expect(blocked.hint).toMatch(
      /allowlist: \[\{ id: "secret\.github\.github-token:[0-9a-f]{16}", reason: .*, expires: "\d{4}-\d{2}-\d{2}" \}\]/,
    );
    expect(`${blocked.message}${blocked.hint}${formatVerdict(verdict)}`).not.toContain(githubToken);
  });

  it('passes a clean change, and lets an approved require-approval change through', async () => {
    const clean = await runGate({
      gate: 'pre-pr',
      diff: newFileDiff('src/a.ts', 'export const add = (a: number, b: number) => a + b;'),
      prBody: 'Adds add().',
      policy: parsePolicy(''),
    });
    expect(clean.verdict).toBe('pass');
    expect(() => enforceVerdict(clean)).not.toThrow();
    const needsApproval = await runGate({
      gate: 'pre-pr',
      diff: newFileDiff('src/b.ts', '// SPDX-License-Identifier: MPL-2.0\nexport const b = 1;'),
      policy: parsePolicy(''),
      projectLicence: 'MIT',
    });
    expect(needsApproval.verdict).toBe('require-approval');
    expect(() => enforceVerdict(needsApproval)).toThrow(expect.objectContaining({ code: 'policy-approval-required' }));
    expect(() => enforceVerdict(needsApproval, { approved: true })).not.toThrow();
  });

  it('produces a valid policy-verdict journal payload', async () => {
    const verdict = await runGate({ gate: 'pre-push', prompt: `use ${githubToken}`, policy: parsePolicy('') });
    const data = toPolicyVerdictEventData(verdict);
    expect(policyVerdictDataSchema.safeParse(data).success).toBe(true);
    expect(data.findings[0]).toMatchObject({ path: '<prompt>', action: 'block' });
    expect(JSON.stringify(data)).not.toContain(githubToken);
  });

  it('loads the policy file and the project licence from a repository', async () => {
    const root = mkdtempSync(join(tmpdir(), 'policy-context-'));
    writeFileSync(join(root, 'package.json'), '{ "name": "x", "license": "Apache-2.0" }');
    writeFileSync(join(root, 'orchestrator.policy.yaml'), 'licences:\n  allow: [MPL-2.0]\n');
    const context = await loadPolicyContext(root);
    expect(context.projectLicence).toBe('Apache-2.0');
    expect(context.policy.licences.allow).toEqual(['MPL-2.0']);
    const verdict = await runGate({
      gate: 'pre-commit',
      diff: newFileDiff('src/b.ts', '// SPDX-License-Identifier: MPL-2.0'),
      ...context,
    });
    expect(verdict.verdict).toBe('pass');
  });
});
