import spdxCorrect from 'spdx-correct';
import spdxParse from 'spdx-expression-parse';
import spdxSatisfies from 'spdx-satisfies';
import { type Compatibility, canonicalLicenceId, idCompatibility } from './licence-catalogue.ts';

const rank: Record<Compatibility, number> = { compatible: 0, 'needs-review': 1, incompatible: 2 };

/** Parses an SPDX expression, correcting common misspellings (`Apache 2`, `GPLv3`); undefined when hopeless. */
export function parseLicenceExpression(expression: string): spdxParse.Info | undefined {
  try {
    return spdxParse(expression);
  } catch {
    const corrected = spdxCorrect(expression);
    if (corrected === null) return undefined;
    try {
      return spdxParse(corrected);
    } catch {
      return undefined;
    }
  }
}

/** The SPDX ids an expression names, canonicalised. */
export function licenceIds(info: spdxParse.Info): string[] {
  if ('license' in info) return [canonicalLicenceId(info.plus === true ? `${info.license}+` : info.license)];
  return [...licenceIds(info.left), ...licenceIds(info.right)];
}

function compatibilityOf(project: string, info: spdxParse.Info): Compatibility {
  if ('license' in info)
    return idCompatibility(project, canonicalLicenceId(info.plus === true ? `${info.license}+` : info.license));
  const left = compatibilityOf(project, info.left);
  const right = compatibilityOf(project, info.right);
  // OR: the recipient may pick the better option; AND: both apply, the worse wins.
  if (info.conjunction === 'or') return rank[left] <= rank[right] ? left : right;
  return rank[left] >= rank[right] ? left : right;
}

/**
 * Whether code under `incoming` (an SPDX expression) may be added to a project under `project` (an SPDX expression).
 * `allow` lists SPDX ids the policy explicitly accepts (checked with spdx-satisfies). Unparseable input needs review.
 */
export function licenceCompatibility(project: string, incoming: string, allow: readonly string[] = []): Compatibility {
  const incomingInfo = parseLicenceExpression(incoming);
  if (incomingInfo === undefined) return 'needs-review';
  if (allow.length > 0) {
    try {
      if (spdxSatisfies(incoming, allow)) return 'compatible';
    } catch {
      // fall through to the catalogue
    }
  }
  const projectInfo = parseLicenceExpression(project);
  if (projectInfo === undefined) return 'needs-review';
  // The project licence the authors chose: for `MIT OR Apache-2.0` code may be taken under either; use the strictest.
  let worst: Compatibility = 'compatible';
  for (const projectId of licenceIds(projectInfo)) {
    const result = compatibilityOf(projectId, incomingInfo);
    if (rank[result] > rank[worst]) worst = result;
  }
  return worst;
}
