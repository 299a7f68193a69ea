import { type ContextProvider, workspaceContextProvider } from '@orchestrator/kernel';
import { reviewDiffStatically } from '@orchestrator/policy';
import type { PolicyFinding, Workspace } from '@orchestrator/spec';

/** The heading of the section; the scripted Architect reads it, so change both together. */
export const staticReviewSectionTitle = 'Static review findings';

const maxFiles = 400;
const maxBytesPerFile = 200_000;

/** A file as a unified diff that adds every line, so the diff reviewer reads the code as it stands. */
function asAddedFile(path: string, content: string): string {
  const lines = content.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return [`--- /dev/null`, `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join(
    '\n',
  );
}

/** The static reviewer's high and critical findings on the workspace's code as it stands. */
export async function reviewWorkspaceStatically(workspace: Workspace): Promise<PolicyFinding[]> {
  const findings: PolicyFinding[] = [];
  for (const path of (await workspace.listFiles()).slice(0, maxFiles)) {
    const content = await workspace.readFile(path);
    if (content === undefined || content.length > maxBytesPerFile || content.includes('\u0000')) continue;
    findings.push(...reviewDiffStatically(asAddedFile(path, content)));
  }
  return findings.filter((finding) => finding.severity === 'high' || finding.severity === 'critical');
}

/** One line per finding: `- [high] src/a.js:4 review.eval — why — fix: how`. */
export function formatStaticFinding(finding: PolicyFinding): string {
  return `- [${finding.severity}] ${finding.path}:${finding.line} ${finding.ruleId} — ${finding.message} — fix: ${finding.fix}`;
}

/**
 * Adds the static reviewer's findings on the code as it stands to the Architect's proposal context, so the plan can
 * raise them as risks with their fix before anything is built (the reviewer knows only its rules, not the task).
 */
export function withStaticReviewFindings(inner: ContextProvider = workspaceContextProvider()): ContextProvider {
  return async (input) => {
    const sections = await inner(input);
    if (input.role !== 'architect' || input.kind !== 'propose') return sections;
    const findings = await reviewWorkspaceStatically(input.workspace);
    if (findings.length === 0) return sections;
    return [...sections, { title: staticReviewSectionTitle, text: findings.map(formatStaticFinding).join('\n') }];
  };
}
