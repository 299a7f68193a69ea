/** Size bounds on what a model may write and what a test run may leave in the worktree, in bytes. */
export interface SizeLimits {
  /** One edit's payload (a created file's content, a search/replace pair, a unified diff). */
  maxEditBytes: number;
  /** Any file an edit batch writes, after the edit. */
  maxFileBytes: number;
  /** All the edits of one batch together. */
  maxDiffBytes: number;
  /** What one test run may write into the worktree (new and grown files together). */
  testDiskQuotaBytes: number;
}

const mebibyte = 1024 * 1024;

/** The default size bounds: 1 MiB per edit and per file, 5 MiB per batch, 256 MiB per test run. */
export const defaultSizeLimits: SizeLimits = {
  maxEditBytes: mebibyte,
  maxFileBytes: mebibyte,
  maxDiffBytes: 5 * mebibyte,
  testDiskQuotaBytes: 256 * mebibyte,
};

/** A byte count for people: `512 B`, `1.0 KiB`, `32.0 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
