import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { identifyLicenceText } from './licence-texts.ts';

function readJsonLicence(path: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { license?: unknown; licenses?: unknown };
    if (typeof manifest.license === 'string' && manifest.license !== '') return manifest.license;
    if (Array.isArray(manifest.license) && manifest.license.every((id) => typeof id === 'string'))
      return manifest.license.length === 1 ? manifest.license[0] : `(${manifest.license.join(' OR ')})`;
    if (typeof manifest.license === 'object' && manifest.license !== null) {
      const type = (manifest.license as { type?: unknown }).type;
      if (typeof type === 'string') return type;
    }
    if (Array.isArray(manifest.licenses)) {
      const types = manifest.licenses
        .map((entry) => (typeof entry === 'object' && entry !== null ? (entry as { type?: unknown }).type : undefined))
        .filter((type): type is string => typeof type === 'string');
      if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** `license = "MIT"` (Cargo.toml, pyproject.toml [project] or [tool.poetry]), or `license = { text = "MIT" }`. */
function readTomlLicence(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const match = /^\s*license\s*=\s*(?:"([^"]+)"|'([^']+)'|\{\s*text\s*=\s*"([^"]+)")/m.exec(text);
  return match?.[1] ?? match?.[2] ?? match?.[3];
}

/** Licence files at the root: any case of LICENSE, LICENCE, COPYING, UNLICENSE, with any extension or suffix. */
const licenceFileName = /^(?:licen[cs]e|copying|unlicense)(?:[._-].*)?$/i;

function safeList(directory: string): string[] {
  try {
    return readdirSync(directory).sort();
  } catch {
    return [];
  }
}

function identifyFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return identifyLicenceText(readFileSync(path, 'utf8'))?.id;
  } catch {
    return undefined;
  }
}

/**
 * The project's licence, from every conventional place, in this order: the package manifests (package.json,
 * composer.json, Cargo.toml, pyproject.toml), then the licence files at the root (LICENSE, License.md, LICENCE.txt,
 * COPYING, LICENSE_1_0.txt… in any case), then REUSE's `LICENSES/` folder (its file names are SPDX ids; several
 * make an AND). Undefined when none says.
 */
export function detectProjectLicence(root: string): string | undefined {
  for (const manifest of ['package.json', 'composer.json']) {
    const declared = readJsonLicence(join(root, manifest));
    if (declared !== undefined && declared !== 'UNLICENSED') return declared;
  }
  for (const manifest of ['Cargo.toml', 'pyproject.toml']) {
    const declared = readTomlLicence(join(root, manifest));
    if (declared !== undefined) return declared;
  }
  const files = safeList(root).filter((name) => licenceFileName.test(name));
  // LICENSE before LICENSE-APACHE and friends: the plain name first, then the rest in order.
  files.sort((a, b) => a.split('.')[0]!.length - b.split('.')[0]!.length || a.localeCompare(b));
  const fromFiles = [...new Set(files.map((name) => identifyFile(join(root, name))).filter((id) => id !== undefined))];
  if (fromFiles.length === 1) return fromFiles[0];
  if (fromFiles.length > 1) return fromFiles.join(' OR '); // LICENSE-MIT + LICENSE-APACHE: the dual-licence convention
  const reuse = safeList(join(root, 'LICENSES'))
    .map((name) => name.replace(/\.(?:txt|md)$/i, ''))
    .filter((id) => /^[A-Za-z0-9.+-]+$/.test(id) && !id.startsWith('LicenseRef-'));
  if (reuse.length > 0) return reuse.length === 1 ? reuse[0] : reuse.join(' AND ');
  return undefined;
}

/** Resolves an npm dependency's declared licence from `<root>/node_modules/<name>/package.json`. */
export function nodeModulesLicenceResolver(root: string): (name: string) => string | undefined {
  return (name) => readJsonLicence(join(root, 'node_modules', name, 'package.json'));
}
