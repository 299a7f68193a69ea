import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import type { FindingSeverity, GateName, JudgedFinding, PolicyAction, PolicyFinding } from '@orchestrator/spec';
import { UserError } from '@orchestrator/spec';
import picomatch from 'picomatch';
import type { PolicyFile } from './policy-file-schema.ts';

const severityRank: Record<FindingSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The CEL environment rules run in: variables `finding` (map), `role`, `gate`; functions `glob` and `severityAtLeast`. */
function celEnvironment(): Environment {
  return new Environment()
    .registerVariable('finding', 'map<string, dyn>')
    .registerVariable('role', 'string')
    .registerVariable('gate', 'string')
    .registerFunction('glob(string, string): bool', (path: string, pattern: string) =>
      picomatch.isMatch(path, pattern, { dot: true }),
    )
    .registerFunction(
      'severityAtLeast(string, string): bool',
      (severity: string, floor: string) =>
        (severityRank[severity as FindingSeverity] ?? 0) >= (severityRank[floor as FindingSeverity] ?? 5),
    );
}

/** Built-in rules, applied after the file's rules: secrets and incompatible licences always block. */
const builtInRules: Array<{ id: string; when: string; action: PolicyAction }> = [
  { id: 'default.secrets-block', when: 'finding.type == "secret"', action: 'block' },
  { id: 'default.incompatible-licence-blocks', when: 'finding.ruleId == "licence.incompatible"', action: 'block' },
  { id: 'default.critical-or-high-blocks', when: 'severityAtLeast(finding.severity, "high")', action: 'block' },
  { id: 'default.medium-needs-approval', when: 'finding.severity == "medium"', action: 'require-approval' },
];

interface CompiledRule {
  id: string;
  action: PolicyAction;
  evaluate: ParseResult;
}

interface CompiledAllowlistEntry {
  label: string;
  reason: string;
  expires: string;
  id: string | undefined;
  evaluate: ParseResult | undefined;
}

function compile(environment: Environment, expression: string, where: string): ParseResult {
  try {
    const parsed = environment.parse(expression);
    const checked = parsed.check();
    if (!checked.valid) throw checked.error ?? new Error('type check failed');
    return parsed;
  } catch (error) {
    throw new UserError({
      code: 'policy-expression-invalid',
      message: `The CEL expression of ${where} is invalid: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      hint: 'Rules are CEL over finding.{type,ruleId,severity,path,line,source,scanner}, role and gate, e.g. finding.type == "pii" && glob(finding.path, "docs/**").',
      details: { expression },
      cause: error,
    });
  }
}

/** Context passed to every rule. */
export interface JudgeContext {
  gate: GateName;
  /** The role that made the change (`builder`, `human`, …). */
  role: string;
  /** Today, for allowlist expiry. */
  now: Date;
}

/** The compiled policy: decides an action for each finding. */
export interface PolicyEngine {
  judge(findings: readonly PolicyFinding[], context: JudgeContext): { judged: JudgedFinding[]; notes: string[] };
}

/** Compiles the file's rules and allowlist (throws `policy-expression-invalid` on a bad expression). */
export function createPolicyEngine(policy: PolicyFile): PolicyEngine {
  const environment = celEnvironment();
  const rules: CompiledRule[] = [
    ...policy.rules.map((rule) => ({
      id: rule.id,
      action: rule.action,
      evaluate: compile(environment, rule.when, `rule ${rule.id}`),
    })),
    ...builtInRules.map((rule) => ({ ...rule, evaluate: compile(environment, rule.when, rule.id) })),
  ];
  const allowlist: CompiledAllowlistEntry[] = policy.allowlist.map((entry, index) => ({
    label: `allowlist[${index}]${entry.id === undefined ? '' : ` (${entry.id})`}`,
    reason: entry.reason,
    expires: entry.expires,
    id: entry.id,
    evaluate: entry.when === undefined ? undefined : compile(environment, entry.when, `allowlist[${index}]`),
  }));

  return {
    judge(findings, context) {
      const today = context.now.toISOString().slice(0, 10);
      const notes = new Set<string>();
      const judged = findings.map((finding): JudgedFinding => {
        const variables = {
          finding: {
            type: finding.type,
            ruleId: finding.ruleId,
            severity: finding.severity,
            path: finding.path,
            line: BigInt(finding.line ?? 0),
            source: finding.source,
            scanner: finding.scanner,
            id: finding.id,
          },
          role: context.role,
          gate: context.gate,
        };
        for (const entry of allowlist) {
          const matches = entry.id === undefined ? entry.evaluate?.(variables) === true : entry.id === finding.id;
          if (!matches) continue;
          if (entry.expires < today) {
            notes.add(
              `${entry.label} expired on ${entry.expires} and no longer applies (reason was: ${entry.reason}).`,
            );
            continue;
          }
          return { finding, action: 'allow', policyRuleId: entry.label, allowlistedBecause: entry.reason };
        }
        for (const rule of rules) {
          if (rule.evaluate(variables) === true) return { finding, action: rule.action, policyRuleId: rule.id };
        }
        return { finding, action: 'warn', policyRuleId: 'default' };
      });
      return { judged, notes: [...notes] };
    },
  };
}
