import type { ChunkKind } from '@orchestrator/spec';

/** How one tree-sitter language marks its definitions. */
export interface LanguageDefinition {
  /** Language id stored with each chunk, e.g. `typescript`. */
  id: string;
  /** Grammar file name in `tree-sitter-wasms/out/` without the `tree-sitter-` prefix and `.wasm` suffix. */
  grammar: string;
  /** File name endings (with the dot) handled by this language. */
  extensions: readonly string[];
  /** Node types that define something, and what they define. */
  definitions: Readonly<Record<string, ChunkKind>>;
  /** Node types that wrap a definition (export, decorators): the definition is their `field` child or first named child. */
  wrappers: Readonly<Record<string, string | undefined>>;
  /** Variable declarations whose declarators may bind a function or class (`const login = () => …`). */
  variableDeclarations: readonly string[];
}

const javascriptLike = {
  definitions: {
    function_declaration: 'function',
    generator_function_declaration: 'function',
    class_declaration: 'class',
    abstract_class_declaration: 'class',
    interface_declaration: 'interface',
    type_alias_declaration: 'type',
    enum_declaration: 'type',
    method_definition: 'method',
    abstract_method_signature: 'method',
    internal_module: 'module',
  },
  wrappers: { export_statement: 'declaration' },
  variableDeclarations: ['lexical_declaration', 'variable_declaration'],
} as const;

export const languageDefinitions: readonly LanguageDefinition[] = [
  { id: 'typescript', grammar: 'typescript', extensions: ['.ts', '.mts', '.cts'], ...javascriptLike },
  { id: 'tsx', grammar: 'tsx', extensions: ['.tsx'], ...javascriptLike },
  { id: 'javascript', grammar: 'javascript', extensions: ['.js', '.mjs', '.cjs', '.jsx'], ...javascriptLike },
  {
    id: 'python',
    grammar: 'python',
    extensions: ['.py', '.pyi'],
    definitions: { function_definition: 'function', class_definition: 'class' },
    wrappers: { decorated_definition: 'definition' },
    variableDeclarations: [],
  },
  {
    id: 'go',
    grammar: 'go',
    extensions: ['.go'],
    definitions: { function_declaration: 'function', method_declaration: 'method', type_declaration: 'type' },
    wrappers: {},
    variableDeclarations: [],
  },
  {
    id: 'rust',
    grammar: 'rust',
    extensions: ['.rs'],
    definitions: {
      function_item: 'function',
      function_signature_item: 'function',
      struct_item: 'class',
      enum_item: 'class',
      union_item: 'class',
      trait_item: 'interface',
      impl_item: 'class',
      type_item: 'type',
      mod_item: 'module',
      macro_definition: 'function',
    },
    wrappers: {},
    variableDeclarations: [],
  },
  {
    id: 'java',
    grammar: 'java',
    extensions: ['.java'],
    definitions: {
      class_declaration: 'class',
      enum_declaration: 'class',
      record_declaration: 'class',
      interface_declaration: 'interface',
      annotation_type_declaration: 'interface',
      method_declaration: 'method',
      constructor_declaration: 'method',
    },
    wrappers: {},
    variableDeclarations: [],
  },
];

const byExtension = new Map<string, LanguageDefinition>();
for (const language of languageDefinitions) {
  for (const extension of language.extensions) byExtension.set(extension, language);
}

/** The language of a path by its extension (`.d.ts` counts as TypeScript), or undefined for text without a grammar. */
export function languageForPath(path: string): LanguageDefinition | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return byExtension.get(path.slice(dot).toLowerCase());
}
