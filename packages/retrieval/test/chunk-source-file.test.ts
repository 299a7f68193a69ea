import { parseChunkId } from '@orchestrator/spec';
import { describe, expect, it } from 'vitest';
import { chunkSourceFile } from '../src/chunking/chunk-source-file.ts';

async function outline(path: string, text: string) {
  const result = await chunkSourceFile(path, text);
  return {
    language: result.language,
    chunks: result.chunks.map((chunk) => `${chunk.kind} ${chunk.symbol ?? '-'} ${chunk.startLine}-${chunk.endLine}`),
    definitions: result.definitions.map(
      (definition) => `${definition.kind} ${definition.qualifiedName} @${definition.line}`,
    ),
  };
}

describe('chunking by definitions', () => {
  it('TypeScript: functions with their doc comment, classes, interfaces, arrow functions, imports as lines', async () => {
    const result = await outline(
      'src/auth.ts',
      [
        "import { hash } from './hash.ts';",
        '',
        '/** Checks a password. */',
        'export function login(user: string, password: string): boolean {',
        '  return hash(password) === user;',
        '}',
        '',
        'export class AuthService {',
        '  verify(token: string): boolean {',
        '    return token.length > 0;',
        '  }',
        '}',
        'export interface Session { id: string }',
        'export const logout = async (id: string) => id;',
        'type Role = "admin" | "user";',
      ].join('\n'),
    );
    expect(result.language).toBe('typescript');
    expect(result.chunks).toEqual([
      'lines - 1-1',
      'function login 3-6',
      'class AuthService 8-12',
      'interface Session 13-13',
      'function logout 14-14',
      'type Role 15-15',
    ]);
    expect(result.definitions).toContain('method AuthService.verify @9');
  });

  it('TSX: components written as functions and arrow functions', async () => {
    const result = await outline(
      'src/App.tsx',
      'export function App() {\n  return <div>hi</div>;\n}\nconst Button = () => <button />;\n',
    );
    expect(result.language).toBe('tsx');
    expect(result.chunks).toEqual(['function App 1-3', 'function Button 4-4']);
  });

  it('JavaScript: functions, classes with methods, function expressions', async () => {
    const result = await outline(
      'lib/index.js',
      "'use strict';\nfunction parse(input) {\n  return input;\n}\nclass Lexer {\n  next() {}\n}\nconst run = function () {};\n",
    );
    expect(result.chunks).toEqual(['lines - 1-1', 'function parse 2-4', 'class Lexer 5-7', 'function run 8-8']);
    expect(result.definitions).toContain('method Lexer.next @6');
  });

  it('Python: decorated functions keep their decorator, methods are qualified by their class', async () => {
    const result = await outline(
      'app/handlers.py',
      'import os\n\n@route("/")\ndef index(request):\n    return "ok"\n\nclass Store:\n    """A store."""\n    def get(self, key):\n        return key\n',
    );
    expect(result.chunks).toEqual(['lines - 1-1', 'function index 3-5', 'class Store 7-10']);
    expect(result.definitions).toEqual(['function index @4', 'class Store @7', 'method Store.get @9']);
  });

  it('Go: structs, interfaces and methods named after their receiver', async () => {
    const result = await outline(
      'server.go',
      'package main\n\n// Server serves.\ntype Server struct{ addr string }\n\ntype Handler interface{ Serve() }\n\nfunc (s *Server) Start() error { return nil }\n\nfunc main() {}\n',
    );
    expect(result.chunks).toEqual([
      'lines - 1-1',
      'class Server 3-4',
      'interface Handler 6-6',
      'method Server.Start 8-8',
      'function main 10-10',
    ]);
  });

  it('Rust: structs, impl blocks with their methods, traits, functions', async () => {
    const result = await outline(
      'src/lib.rs',
      '/// A point.\npub struct Point { x: i32 }\n\nimpl Point {\n    pub fn new() -> Self { Point { x: 0 } }\n}\n\npub trait Shape { fn area(&self) -> f64; }\n\nfn helper() {}\n',
    );
    expect(result.chunks).toEqual([
      'class Point 1-2',
      'class Point 4-6',
      'interface Shape 8-8',
      'function helper 10-10',
    ]);
    expect(result.definitions).toContain('method Point.new @5');
  });

  it('Java: classes, constructors, methods and interfaces', async () => {
    const result = await outline(
      'src/Main.java',
      'package demo;\n\npublic class Main {\n  public Main() {}\n  public static void main(String[] args) {}\n}\ninterface Greeter { void greet(); }\n',
    );
    expect(result.chunks).toEqual(['lines - 1-1', 'class Main 3-6', 'interface Greeter 7-7']);
    expect(result.definitions).toEqual(
      expect.arrayContaining(['method Main.Main @4', 'method Main.main @5', 'interface Greeter @7']),
    );
  });

  it('splits a class too long for one chunk into its methods, each carrying the class header as context', async () => {
    const methods = Array.from({ length: 60 }, (_, index) => `  method${index}() {\n    return ${index};\n  }`);
    const text = `export class Big {\n  private field = 1;\n${methods.join('\n')}\n}\n`;
    const result = await chunkSourceFile('src/big.ts', text);
    const method = result.chunks.find((chunk) => chunk.symbol === 'Big.method7');
    expect(method?.kind).toBe('method');
    expect(method?.context).toBe('export class Big {');
    expect(method?.text).toBe('  method7() {\n    return 7;\n  }');
    expect(result.chunks[0]).toMatchObject({ kind: 'class', symbol: 'Big', startLine: 1, endLine: 2 });
    expect(result.chunks.some((chunk) => chunk.endLine - chunk.startLine > 150)).toBe(false);
  });
});

describe('chunk ids and fallbacks', () => {
  it('ids carry path and line range, and stay the same for the same content', async () => {
    const first = await chunkSourceFile('src/a.ts', 'export function a() {}\n');
    const second = await chunkSourceFile('src/a.ts', 'export function a() {}\n');
    const changed = await chunkSourceFile('src/a.ts', 'export function a() { return 1; }\n');
    expect(first.chunks[0]?.id).toBe(second.chunks[0]?.id);
    expect(first.chunks[0]?.id).not.toBe(changed.chunks[0]?.id);
    expect(parseChunkId(first.chunks[0]!.id)).toMatchObject({ path: 'src/a.ts', startLine: 1, endLine: 1 });
  });

  it('Markdown is cut at headings, each section named after its heading', async () => {
    const result = await chunkSourceFile(
      'docs/policy.md',
      '# Security policy\n\nIntro.\n\n## Passwords\n\nUse bcrypt.\n\n```\n# not a heading\n```\n',
    );
    expect(result.chunks.map((chunk) => [chunk.symbol, chunk.startLine, chunk.endLine, chunk.context])).toEqual([
      ['Security policy', 1, 3, ''],
      ['Passwords', 5, 11, '# Security policy'],
    ]);
  });

  it('Markdown headings without text of their own join the section below', async () => {
    const result = await chunkSourceFile('docs/policy.md', '# Policy\n\n## Passwords\n\nUse bcrypt.\n');
    expect(result.chunks.map((chunk) => [chunk.symbol, chunk.startLine, chunk.endLine, chunk.context])).toEqual([
      ['Passwords', 1, 5, '# Policy'],
    ]);
  });

  it('files without a grammar fall back to overlapping line windows', async () => {
    const text = Array.from({ length: 130 }, (_, index) => `line ${index + 1}`).join('\n');
    const result = await chunkSourceFile('notes.txt', text);
    expect(result.language).toBe('text');
    expect(result.chunks.map((chunk) => [chunk.startLine, chunk.endLine])).toEqual([
      [1, 60],
      [53, 112],
      [105, 130],
    ]);
  });
});
