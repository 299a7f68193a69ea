import { createRequire } from 'node:module';
import { SystemError } from '@orchestrator/spec';
import { Language, Parser } from 'web-tree-sitter';
import type { LanguageDefinition } from './language-definitions.ts';

const require = createRequire(import.meta.url);
let initialized: Promise<void> | undefined;
const parsers = new Map<string, Promise<Parser>>();

async function loadParser(language: LanguageDefinition): Promise<Parser> {
  initialized ??= Parser.init();
  await initialized;
  let grammarPath: string;
  try {
    grammarPath = require.resolve(`tree-sitter-wasms/out/tree-sitter-${language.grammar}.wasm`);
  } catch (cause) {
    throw new SystemError({
      code: 'retrieval-grammar-missing',
      message: `The tree-sitter grammar for ${language.id} is not installed.`,
      hint: 'Run npm install in the repository root (tree-sitter-wasms ships the grammars).',
      cause,
    });
  }
  const parser = new Parser();
  parser.setLanguage(await Language.load(grammarPath));
  return parser;
}

/** A parser for the language, created once per process (grammars load lazily, on first use). */
export function parserFor(language: LanguageDefinition): Promise<Parser> {
  let parser = parsers.get(language.id);
  if (parser === undefined) {
    parser = loadParser(language);
    parsers.set(language.id, parser);
  }
  return parser;
}
