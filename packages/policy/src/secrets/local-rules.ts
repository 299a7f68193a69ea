import type { GitleaksRule } from './gitleaks-rules.ts';

/**
 * Rules in gitleaks' format that its default set lacks, run by the same engine (keywords, entropy, allowlists).
 * gitleaks catches `Authorization:` headers only inside a `curl` command; these catch them in code, `.http` files and
 * configuration too. The token formats below come from secretlint's newer rules (its recommended preset 13) that the
 * pinned secretlint and gitleaks versions lack; their prefixes are specific enough to need no entropy floor.
 */
export const localRules: GitleaksRule[] = [
  {
    id: 'authorization-header',
    description: 'A credential in an HTTP Authorization header (Bearer, Basic, Token)',
    regex: {
      source:
        '(?:^|[^\\w-])(?:proxy-)?authorization["\'\\x60]?\\s*(?:=>|:|=|,)\\s*["\'\\x60]?(?:bearer|basic|token|apikey|api-key)\\s+([A-Za-z0-9+/_.~=-]{16,})(?![A-Za-z0-9+/_.~=-])',
      flags: 'i',
    },
    entropy: 3.2,
    keywords: ['authorization'],
    allowlists: [
      {
        condition: 'OR',
        regexTarget: 'secret',
        regexes: [
          { source: '^(?:your|my|the|some|example|dummy|fake|test|placeholder|redacted|token|secret|xxx)', flags: 'i' },
        ],
        paths: [],
        stopwords: ['example', 'placeholder', 'redacted', 'dummy', 'xxxxxx'],
      },
    ],
  },
  {
    id: 'cloudflare-api-token',
    description: 'A Cloudflare account or user API token, or global API key (cfat_, cfut_, cfk_)',
    regex: { source: '(?<![A-Za-z])(cfk|cfut|cfat)_[A-Za-z0-9]{40}[0-9a-f]{8}(?![A-Za-z0-9])', flags: '' },
    keywords: ['cfk_', 'cfut_', 'cfat_'],
    allowlists: [],
  },
  {
    id: 'tailscale-key',
    description: 'A Tailscale API, auth, OAuth client, SCIM or webhook key (tskey-)',
    regex: {
      source: '(?<![A-Za-z])tskey-[a-z]{2,20}-[0-9A-Za-z_]{8,40}-[0-9A-Za-z_]{16,60}(?![0-9A-Za-z_])',
      flags: '',
    },
    keywords: ['tskey-'],
    allowlists: [],
  },
  {
    id: 'github-app-installation-token',
    description: 'A GitHub App installation token in the JWT format (ghs_<app id>_<JWT>)',
    regex: {
      source:
        '(?<![A-Za-z])ghs_[0-9]{1,20}_[A-Za-z0-9_-]{10,1000}\\.[A-Za-z0-9_-]{10,10000}\\.[A-Za-z0-9_-]{10,1000}(?![A-Za-z0-9_-])',
      flags: '',
    },
    keywords: ['ghs_'],
    allowlists: [],
  },
  {
    id: 'private-key-unterminated',
    description: 'A PEM private key whose END line is missing or damaged (a truncated key still leaks)',
    regex: {
      source:
        '-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\\\\n|\\s)*([A-Za-z0-9+/=]{64,})(?![\\s\\S]*-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)',
      flags: 'i',
    },
    entropy: 4,
    keywords: ['-----begin'],
    allowlists: [],
  },
];

/**
 * Lower-case literals of which every rule of secretlint's recommended preset (12.x) and of extra-secret-patterns.ts
 * needs one in a text to match anything: token prefixes, `secret_access_key` spellings, PEM headers, `.npmrc` keys.
 * (Credentials in URLs are checked apart, by a regex.) The keyword prefilter finds them with gitleaks' keywords.
 */
export const secretlintIndicators: readonly string[] = [
  'hooks.slack.com',
  'xoxb-',
  'xoxp-',
  'xapp-',
  'xoxa-',
  'xoxo-',
  'xoxr-',
  'a3t',
  'akia',
  'agpa',
  'aida',
  'aroa',
  'aipa',
  'anpa',
  'anva',
  'asia',
  'secret_access_key',
  'secretaccesskey',
  'secret_accesskey',
  'secretaccess_key',
  'private key',
  '_auth',
  'x-oauth-basic',
  'npm_',
  'ghp_',
  'gho_',
  'ghu_',
  'ghs_',
  'ghr_',
  'github_pat_',
  'shppa_',
  'shpca_',
  'shpat_',
  'shpss_',
  'sg.',
  'dapi',
  'dckr_pat_',
  'figd_',
  'glc_',
  'glpat-',
  'glsa_',
  'gsk_',
  'hf_',
  'hvb.',
  'hvr.',
  'hvs.',
  'lin_api_',
  'ntn_',
  'ops_ey',
  't3blbkfj',
  'sk-ant-',
  'vcp_',
  'vci_',
  'vca_',
  'vcr_',
  'vck_',
  'sk_live_',
  'rk_live_',
  'aiza',
  'eyj',
];
