import { InMemoryWorkspaceProvider } from '@orchestrator/testing';
import { describe, expect, it } from 'vitest';
import { staticReviewSectionTitle, withStaticReviewFindings } from './static-review-context.ts';

const files = {
  'README.md': '# calc\n',
  'src/calculate.js': 'export function calculate(request) {\n  return eval(request.query.expression);\n}\n',
};

async function contextFor(role: string, kind: string, repositoryFiles: Record<string, string> = files) {
  const workspace = await new InMemoryWorkspaceProvider(repositoryFiles).open({ repo: '/r', runId: 'r-1', slug: 's' });
  const provider = withStaticReviewFindings(async () => [{ title: 'Repository files', text: 'README.md' }]);
  return provider({ task: 'add a README section', role, kind, workspace, plannedFiles: [] });
}

describe('withStaticReviewFindings', () => {
  it("adds the static reviewer's findings on the code as it stands to the Architect's proposal context", async () => {
    const sections = await contextFor('architect', 'propose');
    const section = sections.find((candidate) => candidate.title === staticReviewSectionTitle);
    expect(section?.text).toMatch(/^- \[high\] src\/calculate\.js:2 review\.eval — .+ — fix: .+$/);
  });

  it('leaves other roles and a clean repository alone', async () => {
    expect(await contextFor('builder', 'implement')).toHaveLength(1);
    expect(await contextFor('architect', 'propose', { 'README.md': '# calc\n' })).toHaveLength(1);
  });
});
