import { gitleaksRuleSet } from './gitleaks-rules.ts';

let publicValues: RegExp[] | undefined;

/**
 * Values that look like credentials but are public by design, whichever scanner matched them: Google's published API
 * keys (the ones in Chromium, Firebase samples and Google's own client libraries, listed by gitleaks' `gcp-api-key`
 * allowlist) and the values of gitleaks' global allowlist (`true`, `${VAR}`, `{{ template }}`, runs of one character).
 */
export function isKnownPublicValue(value: string): boolean {
  if (isSampleJwt(value)) return true;
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

/** The jwt.io debugger's sample token (and tokens carrying its sample claims): in countless docs and tests. */
function isSampleJwt(value: string): boolean {
  if (!value.startsWith('eyJ')) return false;
  if (value.includes('SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c')) return true;
  const payload = value.split('.')[1];
  if (payload === undefined) return false;
  const claims = Buffer.from(payload, 'base64url').toString('utf8');
  return /"sub":\s*"1234567890"/.test(claims) && /"name":\s*"John Doe"/.test(claims);
}
