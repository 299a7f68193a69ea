import type { PolicyFinding } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../src/policy-file/load-policy.ts';
import { createPolicyEngine } from '../src/policy-file/policy-engine.ts';

function finding(overrides: Partial<PolicyFinding>): PolicyFinding {
  return {
    specificationVersion: 'v1',
    id: 'pii.email:0123456789abcdef',
    type: 'pii',
    ruleId: 'pii.email',
    severity: 'low',
    path: 'src/a.ts',
    line: 3,
    source: 'diff',
    message: 'An email address is being added to src/a.ts.',
    fix: 'Replace it.',
    scanner: 'pii',
    ...overrides,
  };
}

const context = { gate: 'pre-commit' as const, role: 'builder', now: new Date('2026-06-01T00:00:00Z') };

describe('policy engine (CEL rules and allowlists)', () => {
  it('applies built-in defaults: secrets block, medium needs approval, low warns', () => {
    const engine = createPolicyEngine(parsePolicy(''));
    const { judged } = engine.judge(
      [
        finding({ type: 'secret', ruleId: 'secret.x', severity: 'medium' }),
        finding({ severity: 'medium' }),
        finding({}),
      ],
      context,
    );
    expect(judged.map((entry) => entry.action)).toEqual(['block', 'require-approval', 'warn']);
  });

  it('lets rules match on type, path (glob), severity and role; the first matching rule wins', () => {
    const engine = createPolicyEngine(
      parsePolicy(`
rules:
  - id: fixtures-may-hold-pii
    when: finding.type == "pii" && glob(finding.path, "test/fixtures/**")
    action: allow
  - id: builder-pii-needs-approval
    when: finding.type == "pii" && role == "builder" && severityAtLeast(finding.severity, "low")
    action: require-approval
`),
    );
    const { judged } = engine.judge([finding({ path: 'test/fixtures/users.json' }), finding({})], context);
    expect(judged.map((entry) => [entry.action, entry.policyRuleId])).toEqual([
      ['allow', 'fixtures-may-hold-pii'],
      ['require-approval', 'builder-pii-needs-approval'],
    ]);
    expect(engine.judge([finding({})], { ...context, role: 'human' }).judged[0]?.action).toBe('warn');
  });

  it('honours allowlist entries until they expire, then says so', () => {
    const policy = parsePolicy(`
allowlist:
  - id: "secret.x:1"
    reason: test fixture key, revoked
    expires: 2026-12-31
  - when: finding.ruleId == "secret.y"
    reason: vendor sample
    expires: 2026-01-01
`);
    const engine = createPolicyEngine(policy);
    const { judged, notes } = engine.judge(
      [
        finding({ id: 'secret.x:1', type: 'secret', ruleId: 'secret.x' }),
        finding({ id: 'secret.y:2', type: 'secret', ruleId: 'secret.y' }),
      ],
      context,
    );
    expect(judged[0]).toMatchObject({ action: 'allow', allowlistedBecause: 'test fixture key, revoked' });
    expect(judged[1]?.action).toBe('block');
    expect(notes).toEqual([expect.stringContaining('expired on 2026-01-01 and no longer applies')]);
  });

  it('rejects invalid files and expressions with actionable errors', () => {
    expect(() => parsePolicy('allowlist:\n  - id: x\n    reason: because\n')).toThrow(/allowlist\.0\.expires/);
    expect(() => parsePolicy('rules:\n  - id: r\n    when: x\n    action: explode\n')).toThrow(/rules\.0\.action/);
    expect(() =>
      createPolicyEngine(parsePolicy('rules:\n  - id: bad\n    when: finding.type ==\n    action: block\n')),
    ).toThrow(expect.objectContaining({ code: 'policy-expression-invalid' }));
  });
});
