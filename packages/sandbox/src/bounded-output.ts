import type { CapturedOutput } from '@orchestrator/spec';

/**
 * Collects a stream up to a byte limit, keeping the head and the tail (test runners print their summary last) and
 * counting what was dropped in between.
 */
export class BoundedOutput {
  readonly #limit: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  #tail: Buffer = Buffer.alloc(0);
  #total = 0;

  constructor(limitBytes: number) {
    this.#limit = Math.max(2, Math.floor(limitBytes));
  }

  write(chunk: Buffer): void {
    this.#total += chunk.length;
    const headRoom = Math.floor(this.#limit / 2) - this.#headBytes;
    let rest = chunk;
    if (headRoom > 0) {
      const head = rest.subarray(0, headRoom);
      this.#head.push(head);
      this.#headBytes += head.length;
      rest = rest.subarray(head.length);
    }
    if (rest.length === 0) return;
    const tailLimit = this.#limit - Math.floor(this.#limit / 2);
    const joined = Buffer.concat([this.#tail, rest]);
    this.#tail = joined.subarray(Math.max(0, joined.length - tailLimit));
  }

  result(): CapturedOutput {
    const kept = this.#headBytes + this.#tail.length;
    const dropped = this.#total - kept;
    const head = Buffer.concat(this.#head).toString('utf8');
    const tail = this.#tail.toString('utf8');
    if (dropped <= 0) return { text: head + tail, bytes: this.#total, truncated: false };
    return {
      text: `${head}\n[… ${dropped} bytes dropped by the sandbox's output limit …]\n${tail}`,
      bytes: this.#total,
      truncated: true,
    };
  }
}
