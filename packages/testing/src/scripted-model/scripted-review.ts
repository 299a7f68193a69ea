import type { ModelRequest } from '@orchestrator/spec';

/** One finding of the scripted reviewer, in the shape of the model reviewer's structured output. */
interface ScriptedReviewFinding {
  path: string;
  line: number;
  category: 'injection' | 'eval' | 'hard-coded-credential';
  severity: 'high' | 'critical';
  message: string;
  fix: string;
}

const rules: ReadonlyArray<{ pattern: RegExp } & Omit<ScriptedReviewFinding, 'path' | 'line'>> = [
  {
    pattern: /\beval\s*\(|new Function\s*\(/,
    category: 'eval',
    severity: 'high',
    message: 'Input reaches eval: anyone who controls it runs arbitrary code on the server.',
    fix: 'Parse the expression with a real arithmetic parser (or an allow-list of operators) instead of eval.',
  },
  {
    pattern: /\b(SELECT|INSERT|UPDATE|DELETE)\b[^;]*['"`]\s*\+|\$\{[^}]+\}[^`]*\b(WHERE|VALUES)\b/i,
    category: 'injection',
    severity: 'critical',
    message: 'SQL is built by string concatenation: input can change the query (SQL injection).',
    fix: 'Use a parameterised query (placeholders) and pass the values separately.',
  },
];

/**
 * The scripted model's reply to a review request (the model reviewer's `review` output): reads the unified diff in the
 * request and reports added lines that evaluate input or concatenate SQL, with the new-file line numbers. Deterministic.
 */
export function scriptedReviewReply(request: ModelRequest): string {
  const prompt = request.messages.map((message) => message.content).join('\n');
  const findings: ScriptedReviewFinding[] = [];
  let path = '';
  let line = 0;
  for (const text of prompt.split('\n')) {
    const file = /^\+\+\+ (?:b\/)?(.+)$/.exec(text);
    if (file) {
      path = file[1] ?? '';
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (path === '' || line === 0) continue;
    if (text.startsWith('+')) {
      const rule = rules.find((candidate) => candidate.pattern.test(text.slice(1)));
      if (rule !== undefined && !/^\s*(\/\/|\*|#)/.test(text.slice(1))) {
        const { pattern: _pattern, ...finding } = rule;
        findings.push({ path, line, ...finding });
      }
      line += 1;
    } else if (!text.startsWith('-') && !text.startsWith('\\')) {
      line += 1;
    }
  }
  return JSON.stringify({ findings });
}
