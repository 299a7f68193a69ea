/**
 * Vendor-documented token formats that secretlint's recommended preset does not cover (or covers too narrowly),
 * run through secretlint's own maintained `secretlint-rule-pattern`.
 */
export const extraSecretPatterns: ReadonlyArray<{ id: string; what: string; pattern: RegExp }> = [
  {
    id: 'stripe-secret-key',
    what: 'A Stripe live secret or restricted key',
    pattern: /(?<![A-Za-z0-9])(?:sk|rk)_live_[A-Za-z0-9]{24,99}(?![A-Za-z0-9])/,
  },
  {
    id: 'google-api-key',
    what: 'A Google API key',
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/,
  },
  {
    // secretlint's SendGrid rule stops at `-`, which real keys contain.
    id: 'sendgrid-api-key',
    what: 'A SendGrid API key',
    pattern: /(?<![A-Za-z0-9])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/,
  },
  {
    // header and payload are base64url JSON objects, so both start with `eyJ` (`{"`).
    id: 'json-web-token',
    what: 'A JSON Web Token',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(?![A-Za-z0-9_-])/,
  },
];
