/** A Go (RE2) regular expression rewritten for JavaScript: a `RegExp` source and its flags. */
export interface ConvertedRegex {
  source: string;
  flags: string;
}

/** Thrown for Go syntax with no JavaScript equivalent here (Unicode classes, `(?U)`, `\C`); the message says which. */
export class GoRegexError extends Error {}

const posixClasses: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: '0-9A-Fa-f',
};

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function checkFlags(flags: string, pattern: string): void {
  if (!/^[ims]*(?:-[ims]*)?$/.test(flags))
    throw new GoRegexError(`unsupported inline flags (?${flags}) in ${pattern}: JavaScript has only i, m and s`);
}

/** Converts one escape at `index` (pointing at the backslash); returns the JS text and the index after it. */
function convertEscape(pattern: string, index: number, inClass: boolean): [string, number] {
  const next = pattern[index + 1];
  if (next === undefined) throw new GoRegexError(`trailing backslash in ${pattern}`);
  if (next === 'Q') {
    const end = pattern.indexOf('\\E', index + 2);
    const literal = pattern.slice(index + 2, end === -1 ? pattern.length : end);
    return [escapeLiteral(literal), end === -1 ? pattern.length : end + 2];
  }
  if (next === 'x' && pattern[index + 2] === '{') {
    const end = pattern.indexOf('}', index + 3);
    const code = Number.parseInt(pattern.slice(index + 3, end), 16);
    if (end === -1 || Number.isNaN(code) || code > 0xffff) throw new GoRegexError(`unsupported \\x{…} in ${pattern}`);
    return [`\\u${code.toString(16).padStart(4, '0')}`, end + 1];
  }
  if (next === 'p' || next === 'P' || next === 'C')
    throw new GoRegexError(`unsupported escape \\${next} (Unicode classes) in ${pattern}`);
  if (!inClass && next === 'z') return ['(?![\\s\\S])', index + 2];
  if (!inClass && next === 'A') return ['(?<![\\s\\S])', index + 2];
  return [`\\${next}`, index + 2];
}

/** Converts a bracket expression starting at `index` (`[`); returns the JS class and the index after it. */
function convertClass(pattern: string, start: number): [string, number] {
  let index = start + 1;
  let out = '[';
  if (pattern[index] === '^') {
    out += '^';
    index += 1;
  }
  if (pattern[index] === ']') {
    out += '\\]';
    index += 1;
  }
  while (index < pattern.length) {
    const character = pattern[index] as string;
    if (character === ']') return [`${out}]`, index + 1];
    if (character === '\\') {
      const [text, after] = convertEscape(pattern, index, true);
      out += text;
      index = after;
      continue;
    }
    if (character === '[' && pattern[index + 1] === ':') {
      const end = pattern.indexOf(':]', index + 2);
      const name = end === -1 ? '' : pattern.slice(index + 2, end);
      const expansion = posixClasses[name];
      if (expansion === undefined) throw new GoRegexError(`unknown POSIX class [:${name}:] in ${pattern}`);
      out += expansion;
      index = end + 2;
      continue;
    }
    out += character === '[' ? '\\[' : character;
    index += 1;
  }
  throw new GoRegexError(`unterminated character class in ${pattern}`);
}

/**
 * Rewrites a Go RE2 pattern (as in gitleaks' rule files) into a JavaScript one: a leading `(?i)` becomes the `i`
 * flag; an inline `(?i)` elsewhere becomes a modifier group `(?i:…)` over the rest of the enclosing group (closed and
 * reopened around each `|`, as RE2 applies it to every later alternative); `(?P<name>` becomes `(?<name>`; POSIX
 * classes (`[[:alnum:]]`) are expanded; `\z`, `\A`, `\Q…\E` and `\x{…}` are rewritten. Throws GoRegexError for what
 * has no equivalent.
 */
export function convertGoRegex(pattern: string): ConvertedRegex {
  let index = 0;
  let flags = '';
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (leading !== null) {
    checkFlags(leading[1] ?? '', pattern);
    flags = [...new Set(leading[1])].join('');
    index = leading[0].length;
  }
  let out = '';
  // One entry per open group (index 0: the whole pattern): the inline flag groups opened inside it.
  const open: string[][] = [[]];
  const closeInline = (level: string[]) => ')'.repeat(level.length);
  while (index < pattern.length) {
    const character = pattern[index] as string;
    const level = open[open.length - 1] as string[];
    if (character === '\\') {
      const [text, after] = convertEscape(pattern, index, false);
      out += text;
      index = after;
    } else if (character === '[') {
      const [text, after] = convertClass(pattern, index);
      out += text;
      index = after;
    } else if (character === '(') {
      const inline = /^\(\?([a-zA-Z-]*)\)/.exec(pattern.slice(index));
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(index));
      if (inline !== null) {
        checkFlags(inline[1] ?? '', pattern);
        out += `(?${inline[1]}:`;
        level.push(inline[1] ?? '');
        index += inline[0].length;
        continue;
      }
      if (named !== null) {
        out += `(?<${named[1]}>`;
        index += named[0].length;
      } else {
        const modifier = /^\(\?([a-zA-Z-]*):/.exec(pattern.slice(index));
        if (modifier !== null) checkFlags(modifier[1] ?? '', pattern);
        const head = modifier?.[0] ?? '(';
        out += head;
        index += head.length;
      }
      open.push([]);
    } else if (character === ')') {
      out += `${closeInline(level)})`;
      if (open.length === 1) throw new GoRegexError(`unbalanced ) in ${pattern}`);
      open.pop();
      index += 1;
    } else if (character === '|') {
      out += `${closeInline(level)}|${level.map((inline) => `(?${inline}:`).join('')}`;
      index += 1;
    } else {
      out += character;
      index += 1;
    }
  }
  if (open.length !== 1) throw new GoRegexError(`unbalanced ( in ${pattern}`);
  out += closeInline(open[0] as string[]);
  try {
    new RegExp(out, flags);
  } catch (error) {
    throw new GoRegexError(`${pattern} converts to an invalid JavaScript regex: ${(error as Error).message}`);
  }
  return { source: out, flags };
}
