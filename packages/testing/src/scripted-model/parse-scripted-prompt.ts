import type { ModelRequest } from '@orchestrator/spec';

/** A message of the conversation, as rendered in the kernel's prompt. */
export interface SeenMessage {
  turn: number;
  role: string;
  kind: string;
  body: Record<string, unknown>;
}

/** What the scripted model reads from a kernel prompt (the format of packages/kernel/src/prompt/build-prompt.ts). */
export interface SeenPrompt {
  task: string;
  role: string;
  kind: string;
  turn: number;
  conversation: SeenMessage[];
  files: string[];
  fileContents: Map<string, string>;
  diff: string;
  /** True when the request re-asks after a malformed reply. */
  repair: boolean;
  /** Test runs shown under `## Test results` (the kernel's `testRunHeading` format). */
  testRuns: SeenTestRun[];
  /** Retrieved chunks shown in the repository context (`renderChunkForPrompt` format), in prompt order. */
  chunks: SeenChunk[];
  /** The lines under `## Notes for this turn`, without their `- ` bullet. */
  notes: string[];
  /** Findings under `#### Static review findings` (the static reviewer on the code as it stands, Architect only). */
  staticFindings: SeenStaticFinding[];
}

/** A static reviewer finding shown in the prompt: `- [high] src/a.js:4 review.eval — why — fix: how`. */
export interface SeenStaticFinding {
  severity: 'high' | 'critical';
  path: string;
  line: number;
  ruleId: string;
  message: string;
  fix: string;
}

function parseStaticFindings(prompt: string): SeenStaticFinding[] {
  const section = /^#### Static review findings\n((?:- .*\n?)*)/m.exec(prompt)?.[1] ?? '';
  return [...section.matchAll(/^- \[(high|critical)\] (\S+):(\d+) (\S+) — (.*) — fix: (.*)$/gm)].map((match) => ({
    severity: match[1] as 'high' | 'critical',
    path: match[2] ?? '',
    line: Number(match[3]),
    ruleId: match[4] ?? '',
    message: match[5] ?? '',
    fix: match[6] ?? '',
  }));
}

/** A retrieved chunk shown in the prompt: the id to cite, its path, its line range and its lines. */
export interface SeenChunk {
  id: string;
  path: string;
  startLine: number;
  endLine: number;
  symbol?: string;
  /** The chunk's lines, unnumbered (index 0 is `startLine`). */
  lines: string[];
}

function parseChunks(prompt: string): SeenChunk[] {
  const chunks: SeenChunk[] = [];
  const pattern =
    /^<chunk id="([^"]+)" path="([^"]+)" lines="(\d+)-(\d+)"(?: symbol="([^"]*)")?>\n([\s\S]*?)\n<\/chunk>$/gm;
  for (const match of prompt.matchAll(pattern)) {
    const lines = (match[6] ?? '')
      .split('\n')
      .filter((line) => /^\s*\d+│ /.test(line))
      .map((line) => line.replace(/^\s*\d+│ /, ''));
    chunks.push({
      id: match[1] ?? '',
      path: match[2] ?? '',
      startLine: Number(match[3]),
      endLine: Number(match[4]),
      ...(match[5] === undefined ? {} : { symbol: match[5] }),
      lines,
    });
  }
  return chunks;
}

/** A test run shown in the prompt. */
export interface SeenTestRun {
  phase: string;
  turn: number;
  command: string;
  exitCode: number;
}

export function parseScriptedPrompt(request: ModelRequest): SeenPrompt {
  const prompt = request.messages[0]?.content ?? '';
  const conversation: SeenMessage[] = [];
  for (const match of prompt.matchAll(/^### turn (\d+) · ([\w-]+) · (\w+)\n```json\n(.*)\n```$/gm)) {
    conversation.push({
      turn: Number(match[1]),
      role: match[2] ?? '',
      kind: match[3] ?? '',
      body: JSON.parse(match[4] ?? '{}') as Record<string, unknown>,
    });
  }
  const fileContents = new Map<string, string>();
  for (const match of prompt.matchAll(/<file path="([^"]+)">\n([\s\S]*?)\n<\/file>/g)) {
    fileContents.set(match[1] ?? '', match[2] ?? '');
  }
  const fileList = /#### Repository files\n([\s\S]*?)(?:\n\n|$)/.exec(prompt)?.[1] ?? '';
  const taskFromPrompt = /^## Task\n(.*)$/m.exec(prompt)?.[1] ?? '';
  return {
    task: request.context?.task ?? taskFromPrompt,
    role: request.context?.role ?? '',
    kind: request.output?.name ?? '',
    turn: Number(/## Your turn \(turn (\d+)\)/.exec(prompt)?.[1] ?? '1'),
    conversation,
    files: fileList.split('\n').filter((line) => line !== ''),
    fileContents,
    diff: /^## Current diff\n```diff\n([\s\S]*?)^```$/m.exec(prompt)?.[1] ?? '',
    repair: request.messages.length > 1,
    testRuns: [...prompt.matchAll(/^### (red|green|check) · turn (\d+) · `([^`]*)` · exit (-?\d+)/gm)].map((match) => ({
      phase: match[1] ?? '',
      turn: Number(match[2]),
      command: match[3] ?? '',
      exitCode: Number(match[4]),
    })),
    chunks: parseChunks(prompt),
    notes: [...(/^## Notes for this turn\n((?:- .*\n?)*)/m.exec(prompt)?.[1] ?? '').matchAll(/^- (.*)$/gm)].map(
      (match) => match[1] ?? '',
    ),
    staticFindings: parseStaticFindings(prompt),
  };
}
