/**
 * Finds which of many lower-case ASCII keywords occur in a text, case-insensitively, in one pass (Aho–Corasick over
 * a dense transition table): the prefilter that decides which rules run on a file, as gitleaks does.
 */
export interface KeywordMatcher {
  /** The keywords found in `text` (by index into the list given to `createKeywordMatcher`). */
  present(text: string): Set<number>;
}

const alphabet = 128;

export function createKeywordMatcher(keywords: readonly string[]): KeywordMatcher {
  for (const keyword of keywords) {
    if (!/^[\x20-\x7e]+$/.test(keyword) || keyword !== keyword.toLowerCase())
      throw new Error(`keyword ${JSON.stringify(keyword)} must be printable lower-case ASCII`);
  }
  const size = keywords.reduce((total, keyword) => total + keyword.length, 1);
  const next = new Int32Array(size * alphabet).fill(-1);
  const fail = new Int32Array(size);
  const outputs: number[][] = [[]];
  let states = 1;
  keywords.forEach((keyword, index) => {
    let state = 0;
    for (let offset = 0; offset < keyword.length; offset += 1) {
      const slot = state * alphabet + keyword.charCodeAt(offset);
      if (next[slot] === -1) {
        next[slot] = states;
        outputs.push([]);
        states += 1;
      }
      state = next[slot] as number;
    }
    (outputs[state] as number[]).push(index);
  });
  // Breadth-first: failure links, then complete the table so the scan never follows a link.
  const queue: number[] = [];
  for (let code = 0; code < alphabet; code += 1) {
    const target = next[code] as number;
    if (target === -1) next[code] = 0;
    else {
      fail[target] = 0;
      queue.push(target);
    }
  }
  for (let head = 0; head < queue.length; head += 1) {
    const state = queue[head] as number;
    (outputs[state] as number[]).push(...(outputs[fail[state] as number] as number[]));
    for (let code = 0; code < alphabet; code += 1) {
      const slot = state * alphabet + code;
      const target = next[slot] as number;
      const fallback = next[(fail[state] as number) * alphabet + code] as number;
      if (target === -1) next[slot] = fallback;
      else {
        fail[target] = fallback;
        queue.push(target);
      }
    }
  }
  return {
    present(text) {
      const found = new Set<number>();
      let state = 0;
      for (let index = 0; index < text.length; index += 1) {
        let code = text.charCodeAt(index);
        if (code >= alphabet) {
          state = 0;
          continue;
        }
        if (code >= 65 && code <= 90) code += 32;
        state = next[state * alphabet + code] as number;
        const output = outputs[state] as number[];
        if (output.length > 0) for (const keyword of output) found.add(keyword);
      }
      return found;
    },
  };
}
