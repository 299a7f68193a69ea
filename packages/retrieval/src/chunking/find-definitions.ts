import type { ChunkKind } from '@orchestrator/spec';
import type { Node } from 'web-tree-sitter';
import type { LanguageDefinition } from './language-definitions.ts';

/** A definition found in a syntax tree; rows are 0-based. */
export interface FoundDefinition {
  kind: ChunkKind;
  /** The bare name, e.g. `login`. */
  name: string;
  /** Qualified by the enclosing definitions, e.g. `AuthService.login`. */
  qualifiedName: string;
  /** First row, including attached leading comments, decorators and `export`. */
  startRow: number;
  /** Last row, inclusive. */
  endRow: number;
  /** Row where the definition itself starts (its header line, used as context for members). */
  headerRow: number;
  /** Members (methods of a class, items of an impl or module). */
  children: FoundDefinition[];
}

const functionValues = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'generator_function',
  'generator_function_expression',
]);
const classValues = new Set(['class', 'class_expression']);
const memberContainers = new Set<ChunkKind>(['class', 'interface', 'module']);

interface Described {
  kind: ChunkKind;
  name: string;
  body: Node | null;
}

function describeGo(node: Node): Described | undefined {
  if (node.type === 'type_declaration') {
    const spec = node.namedChildren.find((child) => child?.type === 'type_spec');
    const type = spec?.childForFieldName('type')?.type;
    const kind: ChunkKind = type === 'struct_type' ? 'class' : type === 'interface_type' ? 'interface' : 'type';
    return { kind, name: spec?.childForFieldName('name')?.text ?? 'type', body: null };
  }
  if (node.type === 'method_declaration') {
    const receiver = node.childForFieldName('receiver')?.descendantsOfType('type_identifier')[0]?.text;
    const name = node.childForFieldName('name')?.text ?? 'method';
    return { kind: 'method', name: receiver === undefined ? name : `${receiver}.${name}`, body: null };
  }
  return undefined;
}

function describe(node: Node, language: LanguageDefinition): Described | undefined {
  if (language.id === 'go') {
    const go = describeGo(node);
    if (go !== undefined) return go;
  }
  const kind = language.definitions[node.type];
  if (kind !== undefined) {
    if (node.type === 'impl_item') {
      const trait = node.childForFieldName('trait')?.text;
      const type = node.childForFieldName('type')?.text ?? 'impl';
      return { kind, name: trait === undefined ? type : `${type} as ${trait}`, body: node.childForFieldName('body') };
    }
    const name = node.childForFieldName('name')?.text ?? 'default';
    return { kind, name, body: memberContainers.has(kind) ? node.childForFieldName('body') : null };
  }
  if (language.variableDeclarations.includes(node.type)) {
    for (const declarator of node.namedChildren) {
      if (declarator?.type !== 'variable_declarator') continue;
      const valueType = declarator.childForFieldName('value')?.type;
      const name = declarator.childForFieldName('name')?.text;
      if (valueType === undefined || name === undefined) continue;
      if (functionValues.has(valueType)) return { kind: 'function', name, body: null };
      if (classValues.has(valueType)) return { kind: 'class', name, body: declarator.childForFieldName('value') };
    }
  }
  return undefined;
}

function unwrap(node: Node, language: LanguageDefinition): Node | undefined {
  if (!(node.type in language.wrappers)) return undefined;
  const field = language.wrappers[node.type];
  return (field === undefined ? node.firstNamedChild : node.childForFieldName(field)) ?? undefined;
}

function lastRow(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
}

/** Collects the definitions directly under `parent`, and their members, in source order. */
export function findDefinitions(
  parent: Node,
  language: LanguageDefinition,
  qualifier: string | undefined = undefined,
): FoundDefinition[] {
  const found: FoundDefinition[] = [];
  let commentStartRow: number | undefined;
  let previousEndRow = -2;
  for (const child of parent.namedChildren) {
    if (child === null) continue;
    if (child.type.endsWith('comment')) {
      if (commentStartRow === undefined || child.startPosition.row > previousEndRow + 1) {
        commentStartRow = child.startPosition.row;
      }
      previousEndRow = child.endPosition.row;
      continue;
    }
    let target: Node = child;
    for (let depth = 0; depth < 3; depth += 1) {
      const inner = unwrap(target, language);
      if (inner === undefined) break;
      target = inner;
    }
    const described = describe(target, language);
    const attachedComment =
      commentStartRow !== undefined && child.startPosition.row <= previousEndRow + 1 ? commentStartRow : undefined;
    commentStartRow = undefined;
    previousEndRow = child.endPosition.row;
    if (described === undefined) continue;
    const kind: ChunkKind = described.kind === 'function' && qualifier !== undefined ? 'method' : described.kind;
    const qualifiedName = qualifier === undefined ? described.name : `${qualifier}.${described.name}`;
    found.push({
      kind,
      name: described.name.includes('.') ? (described.name.split('.').at(-1) ?? described.name) : described.name,
      qualifiedName,
      startRow: attachedComment ?? child.startPosition.row,
      endRow: lastRow(child),
      headerRow: target.startPosition.row,
      children: described.body === null ? [] : findDefinitions(described.body, language, qualifiedName),
    });
  }
  return found;
}
