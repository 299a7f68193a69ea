import { describe, expect, it } from 'vitest';
import { ScriptedModel } from './scripted-model.ts';

const reviewRequest = (diff: string) => ({
  system: [{ text: 'You are a reviewer.' }],
  messages: [{ role: 'user' as const, content: `Review this diff:\n\n${diff}` }],
  maxOutputTokens: 500,
  output: { name: 'review', description: 'findings', schema: { type: 'object' } },
  context: { role: 'reviewer' },
});

describe('the scripted reviewer', () => {
  it('flags eval of input and SQL concatenation on added lines, with new-file line numbers', async () => {
    const diff = [
      '--- a/src/app.js',
      '+++ b/src/app.js',
      '@@ -1,2 +1,4 @@',
      ' const db = open();',
      '-const old = 1;',
      '+export const run = (request) => eval(request.query.code);',
      '+export const find = (name) => db.query("SELECT * FROM users WHERE name = \'" + name + "\'");',
      ' export default db;',
      '+// eval( in a comment is not code',
    ].join('\n');
    const response = await new ScriptedModel().generate(reviewRequest(diff));
    const findings = (response.object as { findings: Array<{ path: string; line: number; category: string }> })
      .findings;
    expect(findings.map((finding) => `${finding.path}:${finding.line}:${finding.category}`)).toEqual([
      'src/app.js:2:eval',
      'src/app.js:3:injection',
    ]);
  });

  it('returns no finding for a harmless change', async () => {
    const diff = '--- /dev/null\n+++ b/LICENSE\n@@ -0,0 +1,1 @@\n+MIT License\n';
    const response = await new ScriptedModel().generate(reviewRequest(diff));
    expect(response.object).toEqual({ findings: [] });
  });
});
