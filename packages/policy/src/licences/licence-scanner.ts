import { basename } from 'node:path';
import type { FindingSeverity, PolicyFinding } from '@orchestrator/spec';
import { findingId } from '../redact-value.ts';
import { type ScanTarget, targetText } from '../scan-target.ts';
import { compatibilityDecision } from './licence-catalogue.ts';
import { licenceCompatibility, licenceIds, parseLicenceExpression } from './licence-expression.ts';
import { identifyLicenceNotice } from './licence-notices.ts';
import { addedRestriction, identifyGnuNotice, identifyLicenceText } from './licence-texts.ts';

/** What the licence scanner needs to know about the project. */
export interface LicenceScanOptions {
  /** The project's licence as an SPDX expression (e.g. `MIT`); undefined when unknown (then only copyleft is flagged). */
  projectLicence: string | undefined;
  /** SPDX ids the policy accepts regardless of the built-in compatibility table. */
  allow?: readonly string[];
  /** Looks up the declared licence of an npm dependency by name (e.g. from node_modules/<name>/package.json). */
  resolveDependencyLicence?: (name: string) => string | undefined;
}

const licenceFileName = /^(?:licen[cs]e|copying|unlicense|notice|copyright)(?:[._-].*)?$/i;
const licenceTextHint =
  /permission is hereby granted|gnu (?:affero |lesser |library )?general public license|licensed under the apache license|mozilla public license|eclipse public license|redistribution and use in source and binary forms/i;
const spdxHeader = /SPDX-License-Identifier:\s*([^*\n"'`\\]+?)\s*(?:\*\/|-->|["'`\\]|$)/;
const dependencyLine = /^\s*"((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)"\s*:\s*"([^"]*)"/i;
const manifestKeys = new Set([
  'name',
  'version',
  'description',
  'main',
  'module',
  'types',
  'typings',
  'type',
  'license',
  'author',
  'homepage',
  'repository',
  'bugs',
  'private',
  'packageManager',
  'url',
  'email',
  'directory',
  'node',
  'npm',
  'import',
  'require',
  'default',
  'browser',
  'exports',
  'bin',
  'funding',
  'sideEffects',
  'engines',
]);
const versionSpec = /^(?:[\^~<>=*\dxX]|latest$|next$|npm:|git|github:|file:|link:|workspace:|https?:)/;

interface LicenceSighting {
  line: number;
  expression: string;
  origin: string;
}

function sightingsIn(target: ScanTarget, options: LicenceScanOptions): LicenceSighting[] {
  const sightings: LicenceSighting[] = [];
  const name = basename(target.path);
  const firstLine = target.lines[0]?.line ?? 1;
  const text = targetText(target);
  let fullTextFound = false;
  if (licenceFileName.test(name) || (target.lines.length >= 15 && licenceTextHint.test(text))) {
    const match = identifyLicenceText(text);
    if (match !== undefined) {
      const added = addedRestriction(text, match.id);
      sightings.push({
        line: firstLine,
        expression: added === undefined ? match.id : `LicenseRef-modified-${match.id}`,
        origin:
          added === undefined
            ? `the ${match.id} licence text (${Math.round(match.coverage * 100)} % of it)`
            : `a modified ${match.id} licence text that adds a restriction ("${added}")`,
      });
      fullTextFound = true;
    }
  }
  if (!fullTextFound) {
    const notice = identifyGnuNotice(text) ?? identifyLicenceNotice(text);
    if (notice !== undefined) {
      const index = target.lines.findIndex((line) =>
        /General Public License|licen[cs]e|subject to the terms/i.test(line.text),
      );
      sightings.push({
        line: target.lines[Math.max(0, index)]?.line ?? firstLine,
        expression: notice,
        origin: `a ${notice} licence notice`,
      });
    }
  }
  for (const { line, text: lineText } of target.lines) {
    const header = spdxHeader.exec(lineText);
    if (header?.[1] !== undefined)
      sightings.push({ line, expression: header[1], origin: `an SPDX-License-Identifier header (${header[1]})` });
  }
  if (name === 'package.json') {
    const vendored = /(?:^|\/)(?:node_modules|vendor|third[_-]party)\//.test(target.path);
    for (const { line, text: lineText } of target.lines) {
      const match = dependencyLine.exec(lineText);
      if (match === null) continue;
      const [, key = '', value = ''] = match;
      if (vendored && key === 'license') {
        sightings.push({ line, expression: value, origin: `the vendored package manifest (license ${value})` });
      } else if (!vendored && !manifestKeys.has(key) && versionSpec.test(value)) {
        const declared = options.resolveDependencyLicence?.(key);
        if (declared !== undefined)
          sightings.push({ line, expression: declared, origin: `the dependency ${key} (license ${declared})` });
      }
    }
  }
  return sightings;
}

/** The matrix's reason and source when both sides are single licence ids, e.g. `GPL-3.0 code cannot go … (FSF …)`. */
function explain(project: string, incoming: string): string | undefined {
  const projectInfo = parseLicenceExpression(project);
  const incomingInfo = parseLicenceExpression(incoming);
  if (projectInfo === undefined || incomingInfo === undefined) return undefined;
  const projectIds = licenceIds(projectInfo);
  const incomingIds = licenceIds(incomingInfo);
  if (projectIds.length !== 1 || incomingIds.length !== 1) return undefined;
  const decision = compatibilityDecision(projectIds[0] as string, incomingIds[0] as string);
  return `${decision.reason} (source: ${decision.source}).`;
}

/**
 * Finds licences added to the tree (licence texts, GNU notices, SPDX headers, added npm dependencies) and checks each
 * against the project's licence: `licence.incompatible` (e.g. GPL-3.0 into MIT) or `licence.needs-review`.
 */
export function scanLicences(targets: readonly ScanTarget[], options: LicenceScanOptions): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  const project = options.projectLicence;
  for (const target of targets) {
    if (target.deleted === true || target.lines.length === 0) continue;
    for (const sighting of sightingsIn(target, options)) {
      const compatibility =
        project === undefined
          ? /GPL|SSPL|EUPL|OSL|BUSL|NC/.test(sighting.expression)
            ? 'needs-review'
            : 'compatible'
          : licenceCompatibility(project, sighting.expression, options.allow ?? []);
      if (compatibility === 'compatible') continue;
      const incompatible = compatibility === 'incompatible';
      const why = project === undefined ? undefined : explain(project, sighting.expression);
      const severity: FindingSeverity = incompatible ? 'high' : 'medium';
      const against = project === undefined ? 'a project whose licence is unknown' : `this ${project} project`;
      findings.push({
        specificationVersion: 'v1',
        id: findingId(`licence.${compatibility}`, target.path, sighting.expression),
        type: 'licence',
        ruleId: `licence.${compatibility}`,
        severity,
        path: target.path,
        line: sighting.line,
        source: target.source,
        message: `${
          incompatible
            ? `${target.path} adds ${sighting.origin}, which is incompatible with ${against}.`
            : `${target.path} adds ${sighting.origin}, which needs a licence review in ${against}.`
        }${why === undefined ? '' : ` Why: ${why}`}`,
        fix: incompatible
          ? `Remove the ${sighting.expression} code or dependency, or replace it with a compatibly licensed alternative; if you hold other rights to it, allowlist the finding id with a reason and an expiry.`
          : `Check that ${sighting.expression} terms are acceptable here (keep its files under their licence), then add it to licences.allow in orchestrator.policy.yaml or allowlist the finding id.`,
        scanner: 'licence',
      });
    }
  }
  return findings;
}
