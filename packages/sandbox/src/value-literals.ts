import { UserError } from '@orchestrator/spec';

/** A JSON value as written by a model in an acceptance example. */
type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function unsupported(language: string, value: unknown, why: string): never {
  throw new UserError({
    code: 'acceptance-spec-unsupported',
    message: `Cannot write ${JSON.stringify(value)} as a ${language} literal: ${why}.`,
    hint: 'Use strings, numbers, booleans and lists of one type in the acceptance examples, or write the test by hand.',
  });
}

export function javascriptLiteral(value: unknown): string {
  return JSON.stringify(value);
}

export function pythonLiteral(value: unknown): string {
  const json = value as JsonValue;
  if (json === null) return 'None';
  if (typeof json === 'boolean') return json ? 'True' : 'False';
  if (typeof json === 'number' || typeof json === 'string') return JSON.stringify(json);
  if (Array.isArray(json)) return `[${json.map(pythonLiteral).join(', ')}]`;
  return `{${Object.entries(json)
    .map(([key, entry]) => `${JSON.stringify(key)}: ${pythonLiteral(entry)}`)
    .join(', ')}}`;
}

/** The Go type of a JSON value, for composite literals; primitives compare as untyped constants. */
function goType(value: JsonValue): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (value === null) return unsupported('Go', value, 'null has no type');
  const members = Array.isArray(value) ? value : Object.values(value);
  const types = new Set(members.map(goType));
  const [member] = types;
  if (types.size !== 1 || member === undefined)
    return unsupported('Go', value, 'members must be non-empty and of one type');
  return Array.isArray(value) ? `[]${member}` : `map[string]${member}`;
}

export function goLiteral(value: unknown): string {
  const json = value as JsonValue;
  if (json === null) return unsupported('Go', value, 'null has no type');
  if (typeof json !== 'object') return JSON.stringify(json);
  const type = goType(json);
  if (Array.isArray(json)) return `${type}{${json.map(goLiteral).join(', ')}}`;
  return `${type}{${Object.entries(json)
    .map(([key, entry]) => `${JSON.stringify(key)}: ${goLiteral(entry)}`)
    .join(', ')}}`;
}

export function isGoComposite(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

function rustString(text: string): string {
  let escaped = '';
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (character === '\\' || character === '"') escaped += `\\${character}`;
    else if (character === '\n') escaped += '\\n';
    else if (character === '\r') escaped += '\\r';
    else if (character === '\t') escaped += '\\t';
    else if (code < 0x20 || code === 0x7f) escaped += `\\u{${code.toString(16)}}`;
    else escaped += character;
  }
  return `"${escaped}"`;
}

export function rustLiteral(value: unknown): string {
  const json = value as JsonValue;
  if (json === null) return unsupported('Rust', value, 'null has no Rust literal (use Option in a hand-written test)');
  if (typeof json === 'string') return rustString(json);
  if (typeof json === 'boolean' || typeof json === 'number') return String(json);
  if (Array.isArray(json)) return `vec![${json.map(rustLiteral).join(', ')}]`;
  return unsupported('Rust', value, 'objects have no Rust literal');
}

/** Arguments: strings go through `.into()` so they fit both `&str` and `String` parameters. */
export function rustArgument(value: unknown): string {
  return typeof value === 'string' ? `${rustLiteral(value)}.into()` : rustLiteral(value);
}
