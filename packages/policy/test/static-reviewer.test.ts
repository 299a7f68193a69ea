import { describe, expect, it } from 'vitest';
import { reviewDiffStatically, reviewTargets } from '../src/review/static-reviewer.ts';
import { targetFromFile } from '../src/scan-target.ts';
import { newFileDiff } from './fake-secrets.ts';

const rules = (path: string, code: string) =>
  reviewTargets([targetFromFile(path, code)]).map((finding) => finding.ruleId);

describe('static reviewer', () => {
  it('flags common vulnerabilities on added lines', () => {
    const cases: Array<[string, string, string]> = [
      ['a.ts', 'const result = eval(request.body.expression);', 'review.eval'],
      ['a.ts', 'const run = new Function("x", userCode);', 'review.eval'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source code under test, not a template
      ['a.ts', 'exec(`convert ${request.query.file} out.png`);', 'review.command-injection'],
      ['a.py', 'subprocess.run(command, shell=True)', 'review.command-injection'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source code under test, not a template
      ['a.ts', 'await db.query(`SELECT * FROM users WHERE id = ${request.params.id}`);', 'review.sql-injection'],
      ['a.py', 'cursor.execute("SELECT * FROM users WHERE name = \'%s\'" % name)', 'review.sql-injection'],
      ['a.ts', 'response.sendFile(path.join(root, req.params.name));', 'review.path-traversal'],
      ['a.ts', 'const password = "hunter2hunter2";', 'review.hard-coded-credential'],
      ['a.ts', "const digest = createHash('md5').update(password).digest('hex');", 'review.weak-crypto'],
      ['a.py', 'digest = hashlib.md5(data).hexdigest()', 'review.weak-crypto'],
      ['a.ts', 'const sessionToken = Math.random().toString(36);', 'review.insecure-random'],
      ['a.ts', 'const agent = new https.Agent({ rejectUnauthorized: false });', 'review.tls-verification-disabled'],
      ['a.tsx', 'element.innerHTML = comment.text;', 'review.xss'],
    ];
    for (const [path, code, expected] of cases) expect(rules(path, code), code).toContain(expected);
  });

  it('leaves safe equivalents, comments and other file types alone', () => {
    const safe = [
      'const result = JSON.parse(request.body.expression);',
      'execFile("convert", [file, "out.png"]);',
      'await db.query("SELECT * FROM users WHERE id = $1", [request.params.id]);',
      'const target = path.join(root, "static", "index.html");',
      'const password = process.env.DB_PASSWORD;',
      "const digest = createHash('sha256').update(data).digest('hex');",
      'const jitter = Math.random() * 100;',
      'element.textContent = comment.text;',
      '// never use eval(input) here',
      'const evaluate = (x: number) => x * 2;',
    ].join('\n');
    expect(rules('safe.ts', safe)).toEqual([]);
    expect(rules('README.md', 'Do not call eval(input) in handlers.')).toEqual([]);
  });

  it('reviews a diff and points at the added line', () => {
    const diff = newFileDiff(
      'src/handler.ts',
      'import { readFile } from "node:fs/promises";\n\nexport const run = (req) => eval(req.body.code);',
    );
    const [finding] = reviewDiffStatically(diff);
    expect(finding).toMatchObject({
      ruleId: 'review.eval',
      path: 'src/handler.ts',
      line: 3,
      type: 'review',
      scanner: 'static-reviewer',
    });
  });
});
