import type { ModelPort, ModelRequest, ModelResponse, ModelStreamPart, TokenCount } from '@orchestrator/spec';
import { emptyUsage } from '@orchestrator/spec';

/** One finding, in the shape of the model reviewer's structured output (`modelReviewSchema`). */
export interface TaintFinding {
  path: string;
  line: number;
  category: 'injection' | 'eval' | 'path-traversal';
  severity: 'high' | 'critical';
  message: string;
  fix: string;
}

/** Where request input comes from: `req.query.x`, `request.body`, `ctx.request.params.id`, … */
const sourcePattern = /\b(?:req|request)\.(?:query|body|params|headers|cookies)(?:\.[A-Za-z_$][\w$]*|\[[^\]]*\])*/;

const sinks: ReadonlyArray<{ pattern: RegExp; name: string } & Omit<TaintFinding, 'path' | 'line' | 'message'>> = [
  {
    pattern: /\beval\s*\(([^)]*)\)|new\s+Function\s*\(([^)]*)\)|\bvm\.run\w*\s*\(([^)]*)\)/,
    name: 'code evaluation',
    category: 'eval',
    severity: 'critical',
    fix: 'Never evaluate request input as code: parse it (a small arithmetic parser, or an allow-list of operators and numbers) and compute the result.',
  },
  {
    pattern: /\b(?:exec|execSync|spawn|spawnSync)\s*\(([^)]*)\)/,
    name: 'a shell command',
    category: 'injection',
    severity: 'critical',
    fix: 'Pass request input as an argument array to execFile/spawn without a shell, after validating it against an allow-list.',
  },
  {
    pattern: /\b(?:readFile|readFileSync|createReadStream|sendFile)\s*\(([^)]*)\)/,
    name: 'a file path',
    category: 'path-traversal',
    severity: 'high',
    fix: 'Resolve the path under a fixed root and refuse it unless it stays inside that root (path.resolve + startsWith).',
  },
  {
    pattern: /`[^`]*\b(?:SELECT|INSERT|UPDATE|DELETE)\b[^`]*\$\{([^}]*)\}[^`]*`/i,
    name: 'an SQL statement',
    category: 'injection',
    severity: 'critical',
    fix: 'Use a parameterised query and pass the request value as a bound parameter.',
  },
];

interface AddedLine {
  path: string;
  line: number;
  text: string;
}

/** The added lines of a unified diff, with their line numbers in the new file. */
function addedLines(diff: string): AddedLine[] {
  const lines: AddedLine[] = [];
  let path = '';
  let line = 0;
  for (const text of diff.split('\n')) {
    const file = /^\+\+\+ (?:b\/)?(.+)$/.exec(text);
    if (file) {
      path = file[1] ?? '';
      line = 0;
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (path === '' || line === 0) continue;
    if (text.startsWith('+')) {
      lines.push({ path, line, text: text.slice(1) });
      line += 1;
    } else if (!text.startsWith('-') && !text.startsWith('\\')) {
      line += 1;
    }
  }
  return lines;
}

/** Names a line binds from a tainted expression: `const x = …`, `let { a, b } = …`. */
function boundNames(text: string): string[] {
  const simple = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=/.exec(text);
  if (simple?.[1]) return [simple[1]];
  const destructured = /\b(?:const|let|var)\s*\{([^}]*)\}\s*=/.exec(text);
  if (destructured?.[1]) {
    return destructured[1]
      .split(',')
      .map((part) => (part.split(':').at(-1) ?? '').split('=')[0]?.trim() ?? '')
      .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
  }
  return [];
}

/**
 * An independent review of a diff, not the static reviewer's line rules: it follows request input through the added
 * code of each file (values read from `req`/`request` query, body, params, headers or cookies, and the names bound from
 * them) and reports a line where such a value reaches code evaluation, a shell command, a file path or an SQL string.
 * A sink fed only constants is not reported; a tainted value passed through a variable is.
 */
export function taintReview(diff: string): TaintFinding[] {
  const findings: TaintFinding[] = [];
  const tainted = new Map<string, Set<string>>();
  for (const added of addedLines(diff)) {
    if (/^\s*(\/\/|\*|#)/.test(added.text)) continue;
    const names = tainted.get(added.path) ?? new Set<string>();
    tainted.set(added.path, names);
    const taintedName = [...names].find((name) => new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`).test(added.text));
    const source = sourcePattern.exec(added.text)?.[0] ?? taintedName;
    if (source === undefined) continue;
    for (const name of boundNames(added.text)) names.add(name);
    for (const sink of sinks) {
      const argument =
        sink.pattern
          .exec(added.text)
          ?.slice(1)
          .find((group) => group !== undefined) ?? '';
      if (!(sourcePattern.test(argument) || (taintedName !== undefined && argument.includes(taintedName)))) continue;
      findings.push({
        path: added.path,
        line: added.line,
        category: sink.category,
        severity: sink.severity,
        message: `Request input (${source}) reaches ${sink.name} here: whoever sends the request controls it.`,
        fix: sink.fix,
      });
    }
  }
  return findings;
}

/**
 * A model stand-in whose `review` replies (the model reviewer's structured output) come from `taintReview`, and whose
 * other replies come from `inner` (e.g. the scripted model playing the debate). Served through the replay server, it
 * lets a run's model reviewer answer in a vendor's wire format without re-running the static reviewer's rules.
 */
export class TaintReviewerModel implements ModelPort {
  readonly specificationVersion = 'v1';
  readonly provider: string;
  readonly modelId: string;
  /** The review requests answered, in order. */
  readonly reviews: Array<{ findings: TaintFinding[] }> = [];
  readonly #inner: ModelPort;

  constructor(inner: ModelPort) {
    this.#inner = inner;
    this.provider = inner.provider;
    this.modelId = `${inner.modelId}+taint-reviewer`;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    if (request.output?.name !== 'review') return this.#inner.generate(request);
    const diff = request.messages.map((message) => message.content).join('\n');
    const findings = taintReview(diff);
    this.reviews.push({ findings });
    const text = JSON.stringify({ findings });
    return {
      text,
      object: { findings },
      finishReason: 'stop',
      usage: {
        ...emptyUsage,
        inputTokens: (await this.countTokens(request)).inputTokens,
        outputTokens: Math.ceil(text.length / 4),
      },
      modelId: this.modelId,
    };
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
    try {
      const response = await this.generate(request);
      yield { type: 'text-delta', delta: response.text };
      yield { type: 'finish', response };
    } catch (error) {
      yield { type: 'error', error };
    }
  }

  countTokens(request: ModelRequest): Promise<TokenCount> {
    return this.#inner.countTokens(request);
  }
}
