import type { ChunkKind, CodeChunk } from '@orchestrator/spec';
import { chunkIdFor } from './chunk-id.ts';
import { type FoundDefinition, findDefinitions } from './find-definitions.ts';
import { parserFor } from './grammar-loader.ts';
import { type LanguageDefinition, languageForPath } from './language-definitions.ts';
import { lineWindows, markdownSections } from './line-windows.ts';

/** How files are cut into chunks. */
export interface ChunkingOptions {
  /** A definition longer than this is split into its members, or into windows (default 150). */
  maxChunkLines: number;
  /** Window size for text without a grammar and for over-long definitions (default 60). */
  windowLines: number;
  /** Rows shared by consecutive windows (default 8). */
  windowOverlap: number;
}

export const defaultChunkingOptions: ChunkingOptions = { maxChunkLines: 150, windowLines: 60, windowOverlap: 8 };

/** A definition for the symbol table. Lines are 1-based. */
export interface DefinitionRecord {
  name: string;
  qualifiedName: string;
  kind: ChunkKind;
  /** The definition's header line. */
  line: number;
  endLine: number;
  /** The chunk holding the header line. */
  chunkId: string;
}

/** A file cut into chunks, with the definitions it holds. */
export interface ChunkedFile {
  language: string;
  chunks: CodeChunk[];
  definitions: DefinitionRecord[];
}

interface Scope {
  kind: ChunkKind;
  symbol: string;
  context: string;
}

class ChunkCollector {
  readonly chunks: CodeChunk[] = [];
  private readonly path: string;
  private readonly language: string;
  private readonly lines: readonly string[];
  private readonly options: ChunkingOptions;

  constructor(path: string, language: string, lines: readonly string[], options: ChunkingOptions) {
    this.path = path;
    this.language = language;
    this.lines = lines;
    this.options = options;
  }

  add(fromRow: number, toRow: number, kind: ChunkKind, symbol: string | undefined, context: string): void {
    let startRow = fromRow;
    let endRow = toRow;
    while (startRow < endRow && (this.lines[startRow] ?? '').trim() === '') startRow += 1;
    while (endRow > startRow && (this.lines[endRow] ?? '').trim() === '') endRow -= 1;
    const text = this.lines.slice(startRow, endRow + 1).join('\n');
    if (!/[\p{L}\p{N}]/u.test(text)) return;
    const startLine = startRow + 1;
    const endLine = endRow + 1;
    this.chunks.push({
      id: chunkIdFor(this.path, startLine, endLine, text),
      path: this.path,
      startLine,
      endLine,
      kind,
      ...(symbol === undefined ? {} : { symbol }),
      language: this.language,
      text,
      context,
    });
  }

  addWindows(startRow: number, endRow: number, kind: ChunkKind, symbol: string | undefined, context: string): void {
    const { windowLines, windowOverlap, maxChunkLines } = this.options;
    if (endRow - startRow + 1 <= maxChunkLines && kind !== 'lines') {
      this.add(startRow, endRow, kind, symbol, context);
      return;
    }
    for (const window of lineWindows(startRow, endRow, windowLines, windowOverlap)) {
      this.add(window.startRow, window.endRow, kind, symbol, context);
    }
  }

  addDefinitions(definitions: readonly FoundDefinition[], fromRow: number, toRow: number, scope: Scope | undefined) {
    let cursor = fromRow;
    const context = scope?.context ?? '';
    for (const definition of definitions) {
      const startRow = Math.max(definition.startRow, cursor);
      if (startRow > cursor) this.addGap(cursor, startRow - 1, scope);
      const rows = definition.endRow - startRow + 1;
      if (rows > this.options.maxChunkLines && definition.children.length > 0) {
        const header = (this.lines[definition.headerRow] ?? '').trim();
        this.addDefinitions(definition.children, startRow, definition.endRow, {
          kind: definition.kind,
          symbol: definition.qualifiedName,
          context: context === '' ? header : `${context}\n${header}`,
        });
      } else if (rows > this.options.maxChunkLines) {
        this.addWindowsOf(startRow, definition, context);
      } else {
        this.add(startRow, definition.endRow, definition.kind, definition.qualifiedName, context);
      }
      cursor = Math.max(cursor, definition.endRow + 1);
    }
    if (cursor <= toRow) this.addGap(cursor, toRow, scope);
  }

  private addWindowsOf(startRow: number, definition: FoundDefinition, context: string): void {
    const header = (this.lines[definition.headerRow] ?? '').trim();
    const { windowLines, windowOverlap } = this.options;
    for (const window of lineWindows(startRow, definition.endRow, windowLines, windowOverlap)) {
      const windowContext =
        window.startRow > definition.headerRow ? [context, header].filter(Boolean).join('\n') : context;
      this.add(window.startRow, window.endRow, definition.kind, definition.qualifiedName, windowContext);
    }
  }

  private addGap(startRow: number, endRow: number, scope: Scope | undefined): void {
    const { windowLines, windowOverlap } = this.options;
    for (const window of lineWindows(startRow, endRow, windowLines, windowOverlap)) {
      this.add(window.startRow, window.endRow, scope?.kind ?? 'lines', scope?.symbol, scope?.context ?? '');
    }
  }
}

function flatten(definitions: readonly FoundDefinition[], into: FoundDefinition[] = []): FoundDefinition[] {
  for (const definition of definitions) {
    into.push(definition);
    flatten(definition.children, into);
  }
  return into;
}

function definitionRecords(definitions: readonly FoundDefinition[], chunks: readonly CodeChunk[]): DefinitionRecord[] {
  const records: DefinitionRecord[] = [];
  for (const definition of flatten(definitions)) {
    const line = definition.headerRow + 1;
    let holder: CodeChunk | undefined;
    for (const chunk of chunks) {
      if (chunk.startLine > line || chunk.endLine < line) continue;
      if (holder === undefined || chunk.endLine - chunk.startLine < holder.endLine - holder.startLine) holder = chunk;
    }
    if (holder === undefined) continue;
    records.push({
      name: definition.name,
      qualifiedName: definition.qualifiedName,
      kind: definition.kind,
      line,
      endLine: definition.endRow + 1,
      chunkId: holder.id,
    });
  }
  return records;
}

async function chunkWithGrammar(
  language: LanguageDefinition,
  collector: ChunkCollector,
  text: string,
  rowCount: number,
): Promise<FoundDefinition[] | undefined> {
  const parser = await parserFor(language);
  const tree = parser.parse(text);
  if (tree === null) return undefined;
  try {
    const definitions = findDefinitions(tree.rootNode, language);
    collector.addDefinitions(definitions, 0, rowCount - 1, undefined);
    return definitions;
  } finally {
    tree.delete();
  }
}

/** Cuts a file into chunks: by definitions for languages with a grammar, by headings for Markdown, else by windows. */
export async function chunkSourceFile(
  path: string,
  text: string,
  options: ChunkingOptions = defaultChunkingOptions,
): Promise<ChunkedFile> {
  const lines = text.split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  const language = languageForPath(path);
  if (language !== undefined) {
    const collector = new ChunkCollector(path, language.id, lines, options);
    const definitions = await chunkWithGrammar(language, collector, text, lines.length);
    if (definitions !== undefined) {
      return {
        language: language.id,
        chunks: collector.chunks,
        definitions: definitionRecords(definitions, collector.chunks),
      };
    }
  }
  const isMarkdown = /\.(md|mdx|markdown)$/i.test(path);
  const collector = new ChunkCollector(path, isMarkdown ? 'markdown' : 'text', lines, options);
  if (isMarkdown) {
    for (const section of markdownSections(lines)) {
      collector.addWindows(section.startRow, section.endRow, 'lines', section.heading, section.trail);
    }
  } else {
    collector.addWindows(0, lines.length - 1, 'lines', undefined, '');
  }
  return { language: isMarkdown ? 'markdown' : 'text', chunks: collector.chunks, definitions: [] };
}
