import { closeSync, openSync, readSync } from 'node:fs';

/** A piece of a file: whole lines, and the 1-based number of the first. */
export interface FileChunk {
  content: string;
  firstLine: number;
}

/** Lines each chunk repeats from the end of the one before, so a secret spanning a boundary is seen whole once. */
const overlapLines = 30;

/**
 * Reads a file in pieces of about `chunkBytes`, cut at line ends, without holding the whole file: how large files
 * are scanned instead of being skipped. Consecutive chunks overlap by a few lines (findings are de-duplicated).
 */
export function* readFileChunks(path: string, chunkBytes = 1024 * 1024): Generator<FileChunk> {
  const descriptor = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(chunkBytes);
    const decoder = new TextDecoder('utf-8');
    let pending = '';
    let carried: string[] = [];
    let firstLine = 1;
    for (;;) {
      const read = readSync(descriptor, buffer, 0, chunkBytes, null);
      const text = pending + decoder.decode(buffer.subarray(0, read), { stream: read > 0 });
      const end = read === 0 ? text.length : text.lastIndexOf('\n');
      if (end === -1) {
        pending = text;
        continue;
      }
      pending = text.slice(end + 1);
      const body = text.slice(0, end);
      if (body === '' && read === 0) return;
      const lines = body.split('\n');
      const start = firstLine - carried.length;
      yield { content: [...carried, ...lines].join('\n'), firstLine: start };
      firstLine += lines.length;
      carried = lines.slice(-overlapLines);
      if (read === 0) return;
    }
  } finally {
    closeSync(descriptor);
  }
}
