import { UserError } from '../errors/orchestrator-error.ts';
import type { PolicyVerdict } from './policy-verdict.ts';

/**
 * A gate blocked the change (or needs an approval nobody gave). The message lists each blocking finding with file,
 * line, rule and why; the hint says how to fix or allowlist. `details.verdict` carries the redacted verdict.
 */
export class PolicyBlockedError extends UserError {
  readonly verdict: PolicyVerdict;

  constructor(verdict: PolicyVerdict, message: string, hint: string) {
    super({
      code: verdict.verdict === 'require-approval' ? 'policy-approval-required' : 'policy-blocked',
      message,
      hint,
      details: { verdict },
    });
    this.name = 'PolicyBlockedError';
    this.verdict = verdict;
  }
}
