import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identifyLicenceText } from './licence-texts.ts';

function readJsonLicence(path: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { license?: unknown; licenses?: unknown };
    if (typeof manifest.license === 'string' && manifest.license !== '') return manifest.license;
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

/** The project's licence: `license` in package.json, else the licence text in LICENSE/COPYING; undefined if unknown. */
export function detectProjectLicence(root: string): string | undefined {
  const fromManifest = readJsonLicence(join(root, 'package.json'));
  if (fromManifest !== undefined && fromManifest !== 'UNLICENSED') return fromManifest;
  for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'COPYING', 'COPYING.md']) {
    const path = join(root, name);
    if (!existsSync(path)) continue;
    const match = identifyLicenceText(readFileSync(path, 'utf8'));
    if (match !== undefined) return match.id;
  }
  return undefined;
}

/** Resolves an npm dependency's declared licence from `<root>/node_modules/<name>/package.json`. */
export function nodeModulesLicenceResolver(root: string): (name: string) => string | undefined {
  return (name) => readJsonLicence(join(root, 'node_modules', name, 'package.json'));
}
