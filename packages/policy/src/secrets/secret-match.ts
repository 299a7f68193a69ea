import type { FindingSeverity, PolicyFinding } from '@orchestrator/spec';
import { findingId, redactValue } from '../redact-value.ts';
import type { ScanTarget } from '../scan-target.ts';

/**
 * A secret found in a target, WITH the matched value. Internal to the policy package: only `toSecretFinding` output
 * (which carries a fingerprint instead of the value) may leave it.
 */
export interface SecretMatch {
  ruleId: string;
  scanner: string;
  severity: FindingSeverity;
  line: number;
  column?: number;
  /** The matched secret. Never print, log or journal it. */
  value: string;
  /** What was found, without the value, e.g. `a GitHub token`. */
  what: string;
  docsUrl?: string;
}

/** Turns a match into a finding that carries only a redacted fingerprint. */
export function toSecretFinding(target: ScanTarget, match: SecretMatch): PolicyFinding {
  const redacted = redactValue(match.value);
  const isDotenvFile = match.ruleId === 'secret.dotenv-file';
  return {
    specificationVersion: 'v1',
    id: findingId(match.ruleId, target.path, isDotenvFile ? target.path : match.value),
    type: 'secret',
    ruleId: match.ruleId,
    severity: match.severity,
    path: target.path,
    line: match.line,
    ...(match.column === undefined ? {} : { column: match.column }),
    source: target.source,
    message: `${match.what} is being added to ${target.path}.`,
    fix: isDotenvFile
      ? `Remove ${target.path} from the change and add it to .gitignore; commit a .env.example with placeholder values instead.`
      : 'Remove the value, read it from the environment or a secret manager instead, and rotate it (it may already be exposed). If it is a test fixture, allowlist the finding id with a reason and an expiry.',
    ...(isDotenvFile ? {} : { redacted }),
    scanner: match.scanner,
    ...(match.docsUrl === undefined ? {} : { docsUrl: match.docsUrl }),
  };
}
