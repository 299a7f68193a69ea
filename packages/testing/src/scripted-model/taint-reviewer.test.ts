import { describe, expect, it } from 'vitest';
import { taintReview } from './taint-reviewer.ts';

const diffOf = (path: string, lines: string[]) =>
  [`--- /dev/null`, `+++ b/${path}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n');

describe('taintReview', () => {
  it('reports request input evaluated as code, on its new-file line', () => {
    const findings = taintReview(
      diffOf('src/calculate.js', [
        'export function calculate(request) {',
        '  return eval(request.query.expression);',
        '}',
      ]),
    );
    expect(findings).toEqual([
      expect.objectContaining({ path: 'src/calculate.js', line: 2, category: 'eval', severity: 'critical' }),
    ]);
    expect(findings[0]?.message).toContain('request.query.expression');
  });

  it('follows the input through a variable, and leaves constants alone', () => {
    const findings = taintReview(
      diffOf('src/run.js', [
        'const { script } = req.body;',
        "const fixed = eval('1 + 1');",
        'const command = script;',
        'exec(command, () => {});',
      ]),
    );
    expect(findings.map((finding) => [finding.line, finding.category])).toEqual([[4, 'injection']]);
  });

  it('does not flag eval of a value that never came from a request', () => {
    expect(taintReview(diffOf('src/a.js', ['const source = readConfig();', 'eval(source);']))).toEqual([]);
  });
});
