import type { GateName, GateOutcome, PolicyFinding, PolicyVerdict } from '@orchestrator/spec';
import { scanLicences } from '../licences/licence-scanner.ts';
import { scanPii } from '../pii/pii-scanner.ts';
import { createPolicyEngine } from '../policy-file/policy-engine.ts';
import type { PolicyFile } from '../policy-file/policy-file-schema.ts';
import { type ScanTarget, targetFromFile, targetFromText, targetsFromDiff } from '../scan-target.ts';
import { scanSecrets } from '../secrets/secret-scanner.ts';

/** What a gate looks at, and the policy it applies. */
export interface GateInput {
  /** Which gate this is. */
  gate: GateName;
  /** Unified diff of the change (only added lines are scanned). */
  diff?: string;
  /** Whole files to scan (for `policy check <paths>`); a large file may come as chunks, each with its first line. */
  files?: ReadonlyArray<{ path: string; content: string; firstLine?: number }>;
  /** Files that were not scanned, with the reason (binary, too large): the verdict's notes list them. */
  skipped?: ReadonlyArray<{ path: string; reason: string }>;
  /** The commit message about to be used. */
  commitMessage?: string;
  /** The pull request body about to be posted. */
  prBody?: string;
  /** A prompt about to be sent to a model provider. */
  prompt?: string;
  /** The policy (from `loadPolicy`). */
  policy: PolicyFile;
  /** The project's SPDX licence (policy `projectLicence`, else `detectProjectLicence`); undefined when unknown. */
  projectLicence?: string;
  /** Looks up the licence of an added npm dependency. */
  resolveDependencyLicence?: (name: string) => string | undefined;
  /** The role that produced the change (`builder`, `human`…), visible to rules as `role`. Default `human`. */
  role?: string;
  /** Now, for allowlist expiry. Default: the current time. */
  now?: Date;
  /** Findings from elsewhere (static or model reviewers) judged with the scanners'. */
  extraFindings?: readonly PolicyFinding[];
}

const actionRank = { allow: 0, warn: 1, 'require-approval': 2, block: 3 } as const;
const severityRank = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/** Collects the scan targets of a gate input. */
export function gateTargets(
  input: Pick<GateInput, 'diff' | 'files' | 'commitMessage' | 'prBody' | 'prompt'>,
): ScanTarget[] {
  const targets: ScanTarget[] = [];
  if (input.diff !== undefined) targets.push(...targetsFromDiff(input.diff));
  for (const file of input.files ?? []) targets.push(targetFromFile(file.path, file.content, file.firstLine));
  if (input.commitMessage !== undefined) targets.push(targetFromText('commit-message', input.commitMessage));
  if (input.prBody !== undefined) targets.push(targetFromText('pr-body', input.prBody));
  if (input.prompt !== undefined) targets.push(targetFromText('prompt', input.prompt));
  return targets;
}

/** Scans everything a gate looks at with every scanner (secrets, PII, licences). Findings are redacted. */
export async function scanAll(
  targets: readonly ScanTarget[],
  input: Pick<GateInput, 'policy' | 'projectLicence' | 'resolveDependencyLicence'>,
): Promise<PolicyFinding[]> {
  const findings = [
    ...(await scanSecrets(targets)),
    ...scanPii(targets),
    ...scanLicences(targets, {
      projectLicence: input.projectLicence ?? input.policy.projectLicence,
      allow: input.policy.licences.allow,
      ...(input.resolveDependencyLicence === undefined
        ? {}
        : { resolveDependencyLicence: input.resolveDependencyLicence }),
    }),
  ];
  // Chunks of a large file overlap by a few lines: a finding seen in two chunks is reported once.
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = `${finding.id}\u0000${finding.line ?? 0}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One note per reason for the files a gate did not scan (at most 10 paths named per note). */
export function skippedNotes(skipped: ReadonlyArray<{ path: string; reason: string }>): string[] {
  const byReason = new Map<string, string[]>();
  for (const entry of skipped) byReason.set(entry.reason, [...(byReason.get(entry.reason) ?? []), entry.path]);
  return [...byReason].map(([reason, paths]) => {
    const named = paths.slice(0, 10).join(', ');
    const more = paths.length > 10 ? ` and ${paths.length - 10} more` : '';
    return `Not scanned (${reason}): ${named}${more}.`;
  });
}

/**
 * Runs one gate: scans, judges each finding by the policy (allowlist, rules, defaults) and returns the verdict —
 * the `data` of a `policy-verdict` journal event. It never throws for findings; `enforceVerdict` turns a blocking
 * verdict into an actionable error.
 */
export async function runGate(input: GateInput): Promise<PolicyVerdict> {
  const findings = [...(await scanAll(gateTargets(input), input)), ...(input.extraFindings ?? [])];
  const engine = createPolicyEngine(input.policy);
  const { judged, notes } = engine.judge(findings, {
    gate: input.gate,
    role: input.role ?? 'human',
    now: input.now ?? new Date(),
  });
  judged.sort(
    (a, b) =>
      actionRank[b.action] - actionRank[a.action] ||
      severityRank[b.finding.severity] - severityRank[a.finding.severity] ||
      a.finding.path.localeCompare(b.finding.path) ||
      (a.finding.line ?? 0) - (b.finding.line ?? 0),
  );
  let verdict: GateOutcome = 'pass';
  for (const entry of judged) {
    if (entry.action !== 'allow' && actionRank[entry.action] > actionRank[verdict === 'pass' ? 'allow' : verdict])
      verdict = entry.action;
  }
  return {
    specificationVersion: 'v1',
    gate: input.gate,
    verdict,
    findings: judged,
    notes: [...notes, ...skippedNotes(input.skipped ?? [])],
  };
}
