import { createRequire } from 'node:module';
import { licenceFamily } from './licence-catalogue.ts';
import { normaliseLicenceText } from './licence-notices.ts';

const require = createRequire(import.meta.url);

interface LicenceEntry {
  id: string;
  sampledShingles: number;
}

const shingleWords = 5;
/** Keep one shingle in `sampleModulo` (by hash), on both sides, so the index stays small and the ratio unbiased. */
const sampleModulo = 4;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function sampledShingles(text: string): Set<number> {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((word) => word.length > 0);
  const shingles = new Set<number>();
  for (let index = 0; index + shingleWords <= words.length; index += 1) {
    const hash = fnv1a(words.slice(index, index + shingleWords).join(' '));
    if (hash % sampleModulo === 0) shingles.add(hash);
  }
  return shingles;
}

interface LicenceIndex {
  entries: LicenceEntry[];
  postings: Map<number, number[]>;
}

let index: LicenceIndex | undefined;

/** Builds (once) an index of the SPDX licence texts shipped by `spdx-license-list`, for current (non-deprecated) ids. */
function licenceIndex(): LicenceIndex {
  if (index !== undefined) return index;
  const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
  const entries: LicenceEntry[] = [];
  const postings = new Map<number, number[]>();
  const spdxLicenceIds = require('spdx-license-ids') as string[];
  for (const id of spdxLicenceIds) {
    const text = full[id]?.licenseText;
    if (text === undefined) continue;
    const shingles = sampledShingles(text);
    if (shingles.size < 8) continue;
    const entryIndex = entries.push({ id, sampledShingles: shingles.size }) - 1;
    for (const shingle of shingles) {
      const list = postings.get(shingle);
      if (list === undefined) postings.set(shingle, [entryIndex]);
      else list.push(entryIndex);
    }
  }
  index = { entries, postings };
  return index;
}

/** A licence text recognised in a file. */
export interface LicenceTextMatch {
  /** SPDX id of the best match. */
  id: string;
  /** Share of the licence's text found in the file, 0–1. */
  coverage: number;
}

/**
 * Identifies a full licence text (LICENSE, COPYING, a pasted licence) by the share of the licence's word 5-grams it
 * contains. Returns the best match covering at least `minimumCoverage` of the licence, else undefined.
 */
export function identifyLicenceText(text: string, minimumCoverage = 0.6): LicenceTextMatch | undefined {
  const { entries, postings } = licenceIndex();
  const fileShingles = sampledShingles(text);
  const counts = new Map<number, number>();
  for (const shingle of fileShingles) {
    for (const entryIndex of postings.get(shingle) ?? []) counts.set(entryIndex, (counts.get(entryIndex) ?? 0) + 1);
  }
  const candidates: Array<{ id: string; coverage: number; score: number }> = [];
  for (const [entryIndex, count] of counts) {
    const entry = entries[entryIndex]!;
    const coverage = count / entry.sampledShingles;
    if (coverage < minimumCoverage) continue;
    // F1 of "licence found in file" and "file explained by licence": a pure licence file picks its own licence, not a
    // shorter one contained in it (MIT is inside many BSD-style texts).
    const precision = count / fileShingles.size;
    candidates.push({ id: entry.id, coverage, score: (2 * coverage * precision) / (coverage + precision) });
  }
  if (candidates.length === 0) return undefined;
  const bestScore = Math.max(...candidates.map((candidate) => candidate.score));
  // Near-ties go to the common licence (Apache-2.0 rather than its Pixar variant, which differs by one clause).
  const nearBest = candidates.filter((candidate) => candidate.score >= bestScore - 0.05);
  const common = nearBest.filter((candidate) => licenceFamily(candidate.id) !== undefined);
  const pool = common.length > 0 ? common : nearBest;
  const chosen = pool.reduce((best, candidate) => (candidate.score > best.score ? candidate : best));
  const best: LicenceTextMatch = { id: chosen.id, coverage: chosen.coverage };
  return best;
}

const gnuNotice = /GNU (Affero |Lesser |Library )?General Public License/i;

/**
 * Recognises the short GNU licence notice placed at the top of source files ("This program is free software…
 * GNU General Public License… version 3… or (at your option) any later version").
 */
export function identifyGnuNotice(raw: string): string | undefined {
  const text = normaliseLicenceText(raw); // comment markers and line wraps ignored
  const match = gnuNotice.exec(text);
  if (match === null) return undefined;
  // A real notice grants the licence ("you can redistribute it and/or modify it under the terms of…"); a sentence that
  // merely names the GPL does not.
  const before = text.slice(Math.max(0, match.index - 300), match.index).replace(/\s+/g, ' ');
  if (!/redistribute (?:it|them) and\/or modify/i.test(before)) return undefined;
  const window = text.slice(match.index, match.index + 600).replace(/\s+/g, ' ');
  const variant = (match[1] ?? '').trim().toLowerCase();
  const version = /version (\d(?:\.\d)?)/i.exec(window)?.[1];
  const orLater = /any later version/i.test(window);
  const family = variant === 'affero' ? 'AGPL' : variant === 'lesser' || variant === 'library' ? 'LGPL' : 'GPL';
  const normalisedVersion =
    version === undefined
      ? undefined
      : version.includes('.')
        ? version
        : family === 'LGPL' && version === '2'
          ? '2.0'
          : `${version}.0`;
  if (normalisedVersion === undefined) return undefined;
  return `${family}-${normalisedVersion}-${orLater ? 'or-later' : 'only'}`;
}

const restriction =
  /\b(?:may not|must not|shall not|cannot|can not|is not permitted|are not permitted|prohibited|forbidden|non-?commercial|not for commercial|no commercial|solely|only for (?:personal|non-?commercial|educational|internal)|without (?:the )?(?:prior |express )?(?:written )?(?:permission|consent)|do not (?:redistribute|distribute|sell|use))\b/i;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((word) => word.length > 0);
}

/**
 * A sentence of the file that the licence's own text does not hold and that restricts use ("may not be redistributed
 * in binary form", "non-commercial use only"): the text is then a modified licence, not the licence it resembles.
 */
export function addedRestriction(text: string, id: string): string | undefined {
  const full = (require('spdx-license-list/full') as Record<string, { licenseText: string }>)[id]?.licenseText;
  if (full === undefined) return undefined;
  const licenceWords = words(full);
  const known = new Set<string>();
  for (let index = 0; index + 3 <= licenceWords.length; index += 1)
    known.add(licenceWords.slice(index, index + 3).join(' '));
  for (const sentence of text.split(/(?<=[.;:!?])\s+|\n\s*\n/)) {
    if (!restriction.test(sentence)) continue;
    const sentenceWords = words(sentence);
    if (sentenceWords.length < 4) continue;
    let unknown = 0;
    for (let index = 0; index + 3 <= sentenceWords.length; index += 1)
      if (!known.has(sentenceWords.slice(index, index + 3).join(' '))) unknown += 1;
    if (unknown / Math.max(1, sentenceWords.length - 2) > 0.5)
      return sentence.replace(/\s+/g, ' ').trim().slice(0, 160);
  }
  return undefined;
}
