// A labelled set for the secret scanner's precision and recall (bench/policy.bench.ts). Positives follow the token
// formats documented by secretlint's rules and by the vendors (prefixes, lengths, alphabets), with random bodies from
// a seeded generator; common formats the recommended preset does not cover (Stripe, Google API keys, JWTs) are
// included on purpose (extra-secret-patterns.ts adds them). Negatives are look-alikes: documented example keys, placeholders, references, hashes, public
// keys, URLs without passwords, identifiers that share a prefix. Tokens are assembled at run time.

import { familyNegatives, familyPositives } from './secret-labelled-families.ts';

/** One labelled sample: a file path and its content, and whether it holds a secret. */
export interface LabelledSample {
  name: string;
  path: string;
  content: string;
  secret: boolean;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const alphabets = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  upperDigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  hex: '0123456789abcdef',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  urlSafe: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  digits: '0123456789',
} as const;

export function generator(seed: number) {
  const random = seeded(seed);
  const pick = (alphabet: keyof typeof alphabets, length: number) => {
    const characters = alphabets[alphabet];
    let result = '';
    for (let index = 0; index < length; index += 1) result += characters[Math.floor(random() * characters.length)];
    return result;
  };
  return pick;
}

/** Positive formats: each returns content for one sample, given a random-string picker. */
const positiveFormats: Array<{ name: string; path: string; make: (pick: ReturnType<typeof generator>) => string }> = [
  {
    name: 'github classic PAT',
    path: 'src/config.ts',
    make: (pick) => `export const token = "${['gh', 'p_'].join('')}${pick('alnum', 36)}";`,
  },
  {
    name: 'github OAuth token',
    path: 'scripts/sync.py',
    make: (pick) => `TOKEN = '${['gh', 'o_'].join('')}${pick('alnum', 36)}'`,
  },
  {
    name: 'github fine-grained PAT',
    path: 'ci.yml',
    make: (pick) => `token: ${['github', '_pat_'].join('')}${pick('alnum', 22)}_${pick('alnum', 59)}`,
  },
  {
    name: 'aws access key id',
    path: 'deploy.sh',
    make: (pick) => `export AWS_ACCESS_KEY_ID=${['AK', 'IA'].join('')}${pick('upperDigits', 16)}`,
  },
  {
    name: 'aws secret access key',
    path: 'config/aws.json',
    make: (pick) => `{ "aws_secret_access_key": "${pick('base64', 40)}" }`,
  },
  {
    name: 'slack bot token',
    path: 'bot.js',
    make: (pick) =>
      `const slack = new WebClient("${['xo', 'xb'].join('')}-${pick('digits', 12)}-${pick('digits', 13)}-${pick('alnum', 24)}");`,
  },
  {
    name: 'slack webhook',
    path: 'notify.ts',
    make: (pick) =>
      `const url = "https://hooks.slack.com/services/T${pick('upperDigits', 8)}/B${pick('upperDigits', 10)}/${pick('alnum', 24)}";`,
  },
  {
    name: 'npm token',
    path: '.npmrc',
    make: (pick) => `//registry.npmjs.org/:_authToken=${['np', 'm_'].join('')}${pick('alnum', 36)}`,
  },
  {
    name: 'openai project key',
    path: 'app.py',
    make: (pick) =>
      `client = OpenAI(api_key="${['sk', '-proj-'].join('')}${pick('urlSafe', 74)}T3BlbkFJ${pick('urlSafe', 74)}")`,
  },
  {
    name: 'anthropic key',
    path: 'agent.ts',
    make: (pick) =>
      `const client = new Anthropic({ apiKey: "${['sk', '-ant-api03-'].join('')}${pick('urlSafe', 93)}AA" });`,
  },
  {
    name: 'sendgrid key',
    path: 'mail.js',
    make: (pick) => `sgMail.setApiKey("${['S', 'G.'].join('')}${pick('urlSafe', 22)}.${pick('urlSafe', 43)}");`,
  },
  {
    name: 'gitlab PAT',
    path: '.gitlab-ci.yml',
    make: (pick) => `  GITLAB_TOKEN: ${['gl', 'pat-'].join('')}${pick('alnum', 20)}`,
  },
  {
    name: 'huggingface token',
    path: 'train.py',
    make: (pick) => `login(token="${['h', 'f_'].join('')}${pick('letters', 34)}")`,
  },
  {
    name: 'shopify access token',
    path: 'shop.rb',
    make: (pick) => `ShopifyAPI::Session.new(token: "${['shp', 'at_'].join('')}${pick('hex', 32)}")`,
  },
  {
    name: 'groq key',
    path: 'llm.ts',
    make: (pick) => `const groq = new Groq({ apiKey: "${['gs', 'k_'].join('')}${pick('alnum', 52)}" });`,
  },
  {
    name: 'linear key',
    path: 'linear.ts',
    make: (pick) => `const linear = new LinearClient({ apiKey: "${['lin', '_api_'].join('')}${pick('alnum', 40)}" });`,
  },
  {
    name: 'rsa private key',
    path: 'certs/server.key',
    make: (pick) =>
      [
        `-----BEGIN ${'RSA PRIVATE'} KEY-----`,
        `MIIE${pick('base64', 60)}`,
        pick('base64', 64),
        pick('base64', 64),
        `-----END ${'RSA PRIVATE'} KEY-----`,
      ].join('\n'),
  },
  {
    name: 'postgres url with password',
    path: 'src/db.ts',
    make: (pick) => `const url = "postgres://app:${pick('alnum', 16)}@db.internal:5432/app";`,
  },
  {
    name: 'basic auth in url',
    path: 'fetch.ts',
    make: (pick) => `await fetch("https://deploy:${pick('alnum', 14)}@registry.acme-corp.io/v2/");`,
  },
  {
    name: 'generic api key (entropy)',
    path: 'src/client.ts',
    make: (pick) => `const apiKey = "${pick('alnum', 32)}";`,
  },
  { name: 'generic client secret (hex)', path: 'settings.py', make: (pick) => `CLIENT_SECRET = "${pick('hex', 40)}"` },
  {
    name: 'hard-coded password',
    path: 'src/seed.ts',
    make: (pick) => `const adminPassword = "${pick('alnum', 6)}!${pick('digits', 2)}";`,
  },
  { name: 'dotenv credential', path: '.env', make: (pick) => `PAYMENT_API_KEY=${pick('alnum', 24)}` },
  {
    name: 'stripe secret key in code',
    path: 'billing.js',
    make: (pick) => `const stripe = require("stripe")("${['sk', '_live_'].join('')}${pick('alnum', 24)}");`,
  },
  {
    name: 'google api key',
    path: 'maps.js',
    make: (pick) => `loadMaps({ key: "${['AI', 'za'].join('')}${pick('urlSafe', 35)}" });`,
  },
  {
    name: 'jwt bearer',
    path: 'curl.sh',
    make: (pick) =>
      `curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJ${pick('urlSafe', 40)}.${pick('urlSafe', 43)}" https://api.acme-corp.io`,
  },
];

const negatives: Array<Omit<LabelledSample, 'secret'>> = [
  {
    name: 'aws documented example key id',
    path: 'README.md',
    content: 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
  },
  {
    name: 'aws documented example secret',
    path: 'docs/aws.md',
    content: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  },
  { name: 'env reference', path: 'src/client.ts', content: 'const apiKey = process.env.OPENAI_API_KEY;' },
  { name: 'function call', path: 'src/auth.ts', content: 'const token = await getAccessToken(request.headers);' },
  {
    name: 'actions secret reference',
    path: '.github/workflows/release.yml',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample file content, not a template
    content: '        NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
  },
  {
    name: 'placeholder in example env',
    path: '.env.example',
    content: 'OPENAI_API_KEY=your-api-key-here\nDATABASE_URL=postgres://user:password@localhost:5432/app',
  },
  { name: 'angle-bracket placeholder', path: 'docs/setup.md', content: 'password: "<your password>"' },
  {
    name: 'masked github token in docs',
    path: 'docs/tokens.md',
    content: `Tokens look like ${['gh', 'p_'].join('')}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx and must stay secret.`,
  },
  {
    name: 'truncated github token',
    path: 'docs/tokens.md',
    content: `prefix ${['gh', 'p_'].join('')}1234 is shown in the UI`,
  },
  {
    name: 'git commit sha',
    path: 'CHANGELOG.md',
    content: 'Fixed in commit 9bd0e8e4c0a1f7d3b2e6a5c4d3e2f1a0b9c8d7e6.',
  },
  {
    name: 'lockfile integrity',
    path: 'package-lock.json',
    content:
      '      "integrity": "sha512-3ODbJpWx6uL8Yx0kT8e0bT2f3nT0x1KpQ2bTz9FqN8YQrP1mB4cK7vD9eF2gH5jL8nM1pR3sT6uW9yZ0aB2cD4eF6g==",',
  },
  { name: 'uuid', path: 'fixtures/ids.ts', content: 'export const tenantId = "123e4567-e89b-12d3-a456-426614174000";' },
  {
    name: 'docker digest',
    path: 'Dockerfile',
    content: 'FROM node:24@sha256:2c56c7a5ab9c2e3c0d3f1a1f4e5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b',
  },
  {
    name: 'public key',
    path: 'keys/server.pub',
    content:
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END PUBLIC KEY-----',
  },
  {
    name: 'ssh public key',
    path: 'authorized_keys',
    content: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@acme',
  },
  { name: 'postgres url without password', path: 'src/db.ts', content: 'const url = "postgres://localhost:5432/app";' },
  {
    name: 'postgres url with env password',
    path: 'src/db.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample file content, not a template
    content: 'const url = `postgres://app:${process.env.DB_PASSWORD}@db:5432/app`;',
  },
  {
    name: 'npm config identifiers',
    path: 'scripts/ci.sh',
    content: 'echo "$npm_config_cache $npm_package_version $npm_lifecycle_event"',
  },
  { name: 'slack placeholder', path: 'docs/slack.md', content: `SLACK_BOT_TOKEN=${['xo', 'xb'].join('')}-your-token` },
  { name: 'token type field', path: 'src/oauth.ts', content: 'return { token_type: "bearer", expires_in: 3600 };' },
  { name: 'tokenizer name', path: 'src/count.ts', content: 'const tokenizer = "cl100k_base";' },
  {
    name: 'data uri image',
    path: 'src/logo.ts',
    content:
      'export const logo = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";',
  },
  {
    name: 'password field label',
    path: 'src/form.tsx',
    content: '<input type="password" name="password" placeholder="Password" />',
  },
  { name: 'empty password default', path: 'config/default.yml', content: 'database:\n  user: app\n  password: ""' },
  { name: 'secret name not value', path: 'infra/main.tf', content: 'secret_id = "prod/payments/api-key"' },
  { name: 'test description', path: 'src/auth.test.ts', content: "it('rejects an expired token', async () => {" },
  {
    name: 'registry url',
    path: 'package-lock.json',
    content: '      "resolved": "https://registry.npmjs.org/zod/-/zod-4.1.12.tgz",',
  },
  { name: 'hex colour constants', path: 'src/theme.ts', content: 'export const secretColour = "#1f2937";' },
  { name: 'css hash class', path: 'dist/index.html', content: '<div class="css-1x2y3z4 token-list">' },
];

/** The labelled set: three generated instances of every positive format, and every negative. */
export function secretLabelledSet(instancesPerFormat = 3): LabelledSample[] {
  const samples: LabelledSample[] = [];
  [...positiveFormats, ...familyPositives].forEach((format, formatIndex) => {
    for (let instance = 0; instance < instancesPerFormat; instance += 1) {
      const pick = generator(1000 * formatIndex + instance + 1);
      samples.push({ name: format.name, path: format.path, content: format.make(pick), secret: true });
    }
  });
  for (const negative of [...negatives, ...familyNegatives]) samples.push({ ...negative, secret: false });
  return samples;
}
