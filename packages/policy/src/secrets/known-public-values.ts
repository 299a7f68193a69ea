import { gitleaksRuleSet } from './gitleaks-rules.ts';

let publicValues: RegExp[] | undefined;

/**
 * Values that look like credentials but are public by design, whichever scanner matched them: Google's published API
 * keys (the ones in Chromium, Firebase samples and Google's own client libraries, listed by gitleaks' `gcp-api-key`
 * allowlist) and the values of gitleaks' global allowlist (`true`, `${VAR}`, `{{ template }}`, runs of one character).
 */
export function isKnownPublicValue(value: string): boolean {
  if (publicValues === undefined) {
    const set = gitleaksRuleSet();
    const google = set.rules.find((rule) => rule.id === 'gcp-api-key');
    publicValues = [
      ...(google?.allowlists ?? []).filter((list) => list.regexTarget === 'secret').flatMap((list) => list.regexes),
      ...set.allowlists.filter((list) => list.regexTarget === 'secret').flatMap((list) => list.regexes),
    ];
  }
  return publicValues.some((regex) => regex.test(value));
}
