import { createHash } from 'node:crypto';
import type { DeliveryContext } from '@orchestrator/kernel';
import {
  enforceVerdict,
  type GateInput,
  nodeModulesLicenceResolver,
  runGate,
  toPolicyVerdictEventData,
} from '@orchestrator/policy';
import {
  approvalIdOf,
  type GateName,
  type JournalEvent,
  OrchestratorError,
  type PolicyFinding,
  type PolicyVerdict,
  policyFindingSchema,
  readRunControlState,
} from '@orchestrator/spec';

/** The journal step id of a delivery stage, e.g. `deliver/pre-commit`. */
export const deliveryStepId = (stage: string) => `deliver/${stage}`;

/** True when a run's journal shows that delivery (gates, commit, pull request) was under way or blocked. */
export function deliveryStarted(events: readonly JournalEvent[]): boolean {
  return events.some(
    (event) =>
      event.stepId?.startsWith('deliver/') === true ||
      (event.type === 'run-pause' && String((event.data as { reason?: unknown }).reason).startsWith('policy-')),
  );
}

/** A gate that stopped delivery: the pause reason (`policy-blocked`…) and the actionable detail. */
export interface GateStop {
  reason: string;
  detail: string;
}

/** What the gates share: the policy, the project licence, the role whose change it is. */
export interface GateSettings {
  policy: GateInput['policy'];
  projectLicence?: string;
  /** Where added dependencies are looked up (the worktree). */
  root: string;
}

const sameData = (event: JournalEvent, data: unknown) => JSON.stringify(event.data) === JSON.stringify(data);

/**
 * Runs one gate and journals its verdict as `policy-verdict` under `deliver/<gate>`, unless the journal already holds
 * the very same verdict there (a resumed delivery). Returns the verdict, and a stop when it blocks or needs approval.
 */
export async function runDeliveryGate(
  context: Pick<DeliveryContext, 'events' | 'append'>,
  gate: GateName,
  settings: GateSettings,
  input: Pick<GateInput, 'diff' | 'files' | 'commitMessage' | 'prBody' | 'extraFindings'>,
): Promise<{ verdict: PolicyVerdict; stop?: GateStop }> {
  const verdict = withoutRepeatedFindings(
    await runGate({
      gate,
      policy: settings.policy,
      ...(settings.projectLicence === undefined ? {} : { projectLicence: settings.projectLicence }),
      resolveDependencyLicence: nodeModulesLicenceResolver(settings.root),
      role: 'builder',
      ...input,
    }),
  );
  const data = toPolicyVerdictEventData(verdict);
  const stepId = deliveryStepId(gate);
  const events = await context.events();
  const journaled = events.findLast((event) => event.type === 'policy-verdict' && event.stepId === stepId);
  if (journaled === undefined || !sameData(journaled, data)) {
    await context.append([{ type: 'policy-verdict', stepId, data }]);
  }
  if (gate === 'review') return { verdict };
  // One approval covers the same findings at every gate (the pre-push gate sees what the pre-commit gate saw).
  const approvalId = `deliver/policy:${createHash('sha256')
    .update(
      verdict.findings
        .map((entry) => entry.finding.id)
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 12)}`;
  const approved =
    verdict.verdict === 'require-approval' && readRunControlState(events).approvalDecisions[approvalId] === 'approve';
  try {
    enforceVerdict(verdict, { approved });
    return { verdict };
  } catch (error) {
    if (!OrchestratorError.isInstance(error)) throw error;
    const stop = `${error.message}\nHow to fix: ${error.hint ?? 'fix the findings above and resume the run.'}`;
    if (verdict.verdict === 'require-approval') {
      // A human decides (console or API `approval-decision`); the kernel pauses until then, ends the run on a rejection.
      const requested = events.some((event) => event.type === 'approval-request' && approvalIdOf(event) === approvalId);
      if (!requested) {
        await context.append([
          { type: 'approval-request', stepId, data: { approvalId, gate: `policy-${gate}`, reason: error.message } },
        ]);
      }
      return {
        verdict,
        stop: {
          reason: 'approval-required',
          detail: `${stop}\nOr approve approval ${approvalId} in the console (orchestrator serve), then resume the run.`,
        },
      };
    }
    return {
      verdict,
      stop: {
        reason: error.code,
        detail: `${stop}\nNothing was ${gateEffect(gate)}; fix or allowlist, then resume the run.`,
      },
    };
  }
}

/** A finding seen twice (in the diff's added lines and in the whole committed file) counts once. */
function withoutRepeatedFindings(verdict: PolicyVerdict): PolicyVerdict {
  const seen = new Set<string>();
  const findings = verdict.findings.filter((entry) => {
    const key = `${entry.finding.id}\u0000${entry.action}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return findings.length === verdict.findings.length ? verdict : { ...verdict, findings };
}

function gateEffect(gate: GateName): string {
  if (gate === 'pre-commit') return 'committed or pushed';
  if (gate === 'pre-push') return 'pushed (the commit stays on the run branch in its worktree)';
  return 'proposed (the branch was pushed; no pull request was opened)';
}

/** The review findings journaled by an earlier attempt of this delivery (so the model reviewer is not asked twice). */
export function journaledReviewFindings(events: readonly JournalEvent[]): PolicyFinding[] | undefined {
  const event = events.findLast(
    (candidate) => candidate.type === 'policy-verdict' && candidate.stepId === deliveryStepId('review'),
  );
  if (event === undefined) return undefined;
  const findings = (event.data as { findings?: unknown }).findings;
  if (!Array.isArray(findings)) return undefined;
  const parsed: PolicyFinding[] = [];
  for (const raw of findings) {
    const {
      action: _action,
      policyRuleId: _rule,
      requiresApproval: _approval,
      allowlistedBecause: _because,
      ...finding
    } = raw as Record<string, unknown>;
    const result = policyFindingSchema.safeParse(finding);
    if (result.success) parsed.push(result.data);
  }
  return parsed;
}
