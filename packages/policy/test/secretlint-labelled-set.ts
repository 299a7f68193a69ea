// A labelled set from secretlint's own rule tests (fixtures/secretlint-rule-tests, MIT, see PROVENANCE.md there):
// every `ng.*` case holds a secret, every `ok.*` case holds none. Cases whose label depends on a secretlint option,
// and three whose label is about one secretlint rule rather than about secrets, are left out (listed below).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledSample } from './secret-labelled-set.ts';

const root = new URL('./fixtures/secretlint-rule-tests/', import.meta.url).pathname;

/** Left out, with the reason. */
export const excludedCases: Record<string, string> = {
  'secretlint-rule-azure/ng.ad_tenant_id': 'a tenant id is an identifier, not a credential',
  'secretlint-rule-azure/ng.azure_client_id': 'a client id is an identifier, not a credential',
  'secretlint-rule-basicauth/ok.database-urls-not-detected':
    'the URLs hold passwords; "ok" only says the basic-auth rule leaves them to another rule',
};

/** One sample per fixture file. */
export function secretlintLabelledSet(): LabelledSample[] {
  const samples: LabelledSample[] = [];
  for (const rule of readdirSync(root).sort()) {
    if (!rule.startsWith('secretlint-rule-')) continue;
    for (const testCase of readdirSync(join(root, rule)).sort()) {
      if (excludedCases[`${rule}/${testCase}`] !== undefined) continue;
      for (const file of readdirSync(join(root, rule, testCase)).sort()) {
        samples.push({
          name: `${rule.replace('secretlint-rule-', '')}/${testCase}`,
          path: `fixtures/${testCase}/${file}`,
          content: readFileSync(join(root, rule, testCase, file), 'utf8'),
          secret: testCase.startsWith('ng.'),
        });
      }
    }
  }
  return samples;
}
