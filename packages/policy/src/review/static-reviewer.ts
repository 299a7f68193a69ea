import { extname } from 'node:path';
import type { PolicyFinding } from '@orchestrator/spec';
import { findingId } from '../redact-value.ts';
import { type ScanTarget, targetsFromDiff } from '../scan-target.ts';
import { type StaticReviewRule, staticReviewRules } from './static-review-rules.ts';

const commentLine = /^\s*(?:\/\/|#(?!!)|\*|\/\*|<!--)/;

function applies(rule: StaticReviewRule, path: string): boolean {
  if (rule.extensions.length === 0) return true;
  return rule.extensions.includes(extname(path).slice(1).toLowerCase());
}

/** Reviews scan targets with the built-in security rules; comment lines are skipped. */
export function reviewTargets(
  targets: readonly ScanTarget[],
  rules: readonly StaticReviewRule[] = staticReviewRules,
): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const target of targets) {
    if (target.deleted === true) continue;
    const active = rules.filter((rule) => applies(rule, target.path));
    if (active.length === 0) continue;
    for (const { line, text } of target.lines) {
      if (text.length > 2000 || commentLine.test(text)) continue;
      for (const rule of active) {
        const match = rule.pattern.exec(text);
        if (match === null) continue;
        findings.push({
          specificationVersion: 'v1',
          id: findingId(rule.id, target.path, text.trim()),
          type: 'review',
          ruleId: rule.id,
          severity: rule.severity,
          path: target.path,
          line,
          column: match.index + 1,
          source: target.source,
          message: rule.message,
          fix: rule.fix,
          scanner: 'static-reviewer',
        });
      }
    }
  }
  return findings;
}

/** The built-in static reviewer: security rules over the added lines of a unified diff. */
export function reviewDiffStatically(diff: string): PolicyFinding[] {
  return reviewTargets(targetsFromDiff(diff));
}
