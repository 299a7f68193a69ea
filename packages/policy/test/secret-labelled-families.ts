// More generated samples for the labelled set (secret-labelled-set.ts): token families the old scanner missed
// (Azure AD client secrets, Authorization headers, curl credentials, Sourcegraph, Slack workflow webhooks, Anthropic
// admin keys, Vault tokens) and further vendor formats, written from the vendors' documented shapes with random
// bodies; and clean code that looks like credentials (names, references, hashes, public keys, i18n strings).
// Prefixes are split so that this file itself holds no token.

type Pick = (
  alphabet: 'alnum' | 'upperDigits' | 'letters' | 'hex' | 'base64' | 'urlSafe' | 'digits',
  n: number,
) => string;

const j = (...parts: string[]) => parts.join('');

export const familyPositives: Array<{ name: string; path: string; make: (pick: Pick) => string }> = [
  {
    name: 'azure ad client secret',
    path: 'src/auth/config.ts',
    make: (pick) => `export const clientSecret = "${pick('alnum', 3)}8${j('Q', '~')}${pick('urlSafe', 34)}";`,
  },
  {
    name: 'azure ad client secret (appsettings)',
    path: 'appsettings.json',
    make: (pick) => `  "ClientSecret": "${pick('alnum', 3)}7${j('Q', '~')}${pick('alnum', 32)}",`,
  },
  {
    name: 'authorization bearer header in code',
    path: 'src/api.ts',
    make: (pick) => `const res = await fetch(url, { headers: { Authorization: "Bearer ${pick('alnum', 40)}" } });`,
  },
  {
    name: 'authorization basic header in code',
    path: 'client.py',
    make: (pick) => `headers = {"Authorization": "Basic ${pick('base64', 32)}"}`,
  },
  {
    name: 'authorization header in http file',
    path: 'requests/orders.http',
    make: (pick) => `GET https://api.acme-corp.io/orders\nAuthorization: Bearer ${pick('urlSafe', 48)}`,
  },
  {
    name: 'curl -H bearer',
    path: 'scripts/deploy.sh',
    make: (pick) => `curl -sS -H "Authorization: Bearer ${pick('alnum', 40)}" https://api.acme-corp.io/deploy`,
  },
  {
    name: 'curl -u user:password',
    path: 'scripts/backup.sh',
    make: (pick) => `curl -u backup:${pick('alnum', 18)} https://files.acme-corp.io/upload -T dump.sql`,
  },
  {
    name: 'sourcegraph token',
    path: 'tools/src.sh',
    make: (pick) => `export SRC_ACCESS_TOKEN=${j('sg', 'p_')}${pick('hex', 16)}_${pick('hex', 40)}`,
  },
  {
    name: 'slack workflow webhook',
    path: 'alerts.ts',
    make: (pick) =>
      `const hook = "https://${j('hooks.', 'slack.com')}/workflows/T${pick('upperDigits', 10)}/A${pick('upperDigits', 10)}/${pick('digits', 18)}/${pick('alnum', 24)}";`,
  },
  {
    name: 'anthropic admin key',
    path: 'ops/billing.py',
    make: (pick) => `ADMIN_KEY = "${j('sk-ant-', 'admin01-')}${pick('urlSafe', 93)}AA"`,
  },
  {
    name: 'vault service token',
    path: 'ci/vault.sh',
    make: (pick) => `export VAULT_TOKEN=${j('hv', 's.')}${pick('urlSafe', 95)}`,
  },
  {
    name: 'vault legacy token',
    path: 'ci/vault-legacy.sh',
    make: (pick) => `vault login ${j('s', '.')}${pick('alnum', 24)}`,
  },
  {
    name: 'digitalocean token',
    path: 'infra/do.tf',
    make: (pick) => `  token = "${j('do', 'p_v1_')}${pick('hex', 64)}"`,
  },
  {
    name: 'pypi upload token',
    path: '.pypirc',
    make: (pick) => `[pypi]\nusername = __token__\npassword = ${j('pypi-', 'AgEIcHlwaS5vcmc')}${pick('urlSafe', 70)}`,
  },
  {
    name: 'postman api key',
    path: 'newman.sh',
    make: (pick) => `newman run "$COLLECTION" --env-var key=${j('PM', 'AK-')}${pick('hex', 24)}-${pick('hex', 34)}`,
  },
  {
    name: 'sentry org token',
    path: 'sentry.properties',
    make: (pick) => `auth.token=${j('sntr', 'ys_')}eyJpYXQiOjE3${pick('alnum', 60)}`,
  },
  {
    name: 'doppler token',
    path: 'docker-compose.yml',
    make: (pick) => `      DOPPLER_TOKEN: ${j('dp.', 'pt.')}${pick('alnum', 43)}`,
  },
  {
    name: 'twilio api key',
    path: 'sms.js',
    make: (pick) => `const twilioKey = "${j('S', 'K')}${pick('hex', 32)}";`,
  },
  {
    name: 'databricks token',
    path: 'notebooks/job.py',
    make: (pick) => `DATABRICKS_TOKEN = "${j('da', 'pi')}${pick('hex', 32)}"`,
  },
  {
    name: 'new relic user key',
    path: 'newrelic.yml',
    make: (pick) => `api_key: ${j('NR', 'AK-')}${pick('upperDigits', 27)}`,
  },
  {
    name: 'pulumi token',
    path: 'Pulumi.ci.yaml',
    make: (pick) => `  PULUMI_ACCESS_TOKEN: ${j('pu', 'l-')}${pick('hex', 40)}`,
  },
  {
    name: 'grafana service account token',
    path: 'grafana.ts',
    make: (pick) => `const grafanaToken = "${j('gl', 'sa_')}${pick('alnum', 32)}_${pick('hex', 8)}";`,
  },
  {
    name: 'openssh private key',
    path: 'deploy/id_ed25519',
    make: (pick) =>
      [
        `-----BEGIN ${'OPENSSH PRIVATE'} KEY-----`,
        `b3BlbnNzaC1rZXktdjEAAAAA${pick('base64', 46)}`,
        pick('base64', 70),
        `-----END ${'OPENSSH PRIVATE'} KEY-----`,
      ].join('\n'),
  },
  {
    name: 'password in yaml config',
    path: 'config/production.yml',
    make: (pick) => `database:\n  username: app\n  password: ${pick('alnum', 10)}${pick('digits', 3)}`,
  },
  {
    name: 'mongodb srv url',
    path: 'src/db.js',
    make: (pick) => `mongoose.connect("mongodb+srv://api:${pick('alnum', 20)}@cluster0.ab1cd.mongodb.net/app");`,
  },
  {
    name: 'generic token with dot',
    path: 'src/settings.ts',
    make: (pick) => `export const authToken = "${pick('alnum', 20)}.${pick('alnum', 22)}";`,
  },
];

export const familyNegatives: Array<{ name: string; path: string; content: string }> = [
  {
    name: 'identifier with digit (k8s)',
    path: 'dist/index.js',
    content: 'exports.k8sServiceAccountTokenProvider = k8sServiceAccountTokenProvider;',
  },
  {
    name: 'identifier with digit (oauth2)',
    path: 'src/auth.ts',
    content: 'const accessToken = oauth2Client.credentials;',
  },
  { name: 'dotted reference', path: 'src/server.ts', content: 'const secret = config.auth.jwtSecret;' },
  { name: 'dotted settings key', path: 'app.py', content: 'SECRET_KEY = settings.SECRET_KEY' },
  { name: 'i18n key', path: 'locales/en.json', content: '  "auth.token.expired": "Your session has expired",' },
  {
    name: 'google public api key (chromium sample)',
    path: 'web/maps.js',
    content: `const key = "${j('AIza', 'SyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs')}";`,
  },
  {
    name: 'stripe publishable test key',
    path: 'web/checkout.ts',
    content: `const stripe = Stripe("${j('pk_', 'test_')}TYooMQauvdEDq54NiTphI7jx");`,
  },
  {
    name: 'password hash call',
    path: 'src/users.ts',
    content: 'const passwordHash = await bcrypt.hash(password, 12);',
  },
  { name: 'getpass', path: 'cli.py', content: 'password = getpass.getpass("Password: ")' },
  {
    name: 'token type constant',
    path: 'src/tokens.go',
    content: 'const TokenTypeAccessToken2 = "urn:ietf:params:oauth:token-type:access_token"',
  },
  { name: 'key path', path: 'nginx.conf', content: 'ssl_certificate_key /etc/ssl/private/server.key;' },
  {
    name: 'sri hash',
    path: 'index.html',
    content:
      '<script src="/app.js" integrity="sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"></script>',
  },
  { name: 'md5 checksum', path: 'SHA256SUMS', content: 'd41d8cd98f00b204e9800998ecf8427e  empty.txt' },
  { name: 'react key prop', path: 'src/List.tsx', content: '<Item key={item.id2} token={token} />' },
  { name: 'api key header name', path: 'src/client.ts', content: "const header = 'X-Api-Key';" },
  { name: 'secret manager arn', path: 'infra/app.ts', content: 'secretArn: secret.secretArn,' },
  {
    name: 'env template in compose',
    path: 'docker-compose.yml',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample file content, not a template
    content: '      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}',
  },
  {
    name: 'curl without credentials',
    path: 'install.sh',
    content: 'curl -fsSL https://deb.nodesource.com/setup_24.x -o setup.sh',
  },
  {
    name: 'curl with env token',
    path: 'release.sh',
    content: 'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user',
  },
  {
    name: 'authorization header template',
    path: 'src/http.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a sample file content, not a template
    content: 'headers.Authorization = `Bearer ${session.accessToken}`;',
  },
  { name: 'minified identifiers', path: 'dist/app.min.js', content: 'var a1=t.token2,b3=e.secretKey4;return a1+b3' },
  { name: 'css custom property', path: 'src/theme.css', content: '--token-color-primary-500: #1d4ed8;' },
  { name: 'base64 font name', path: 'fonts.ts', content: "export const fontKey = 'Inter-SemiBold-v3';" },
  {
    name: 'test password fixture name',
    path: 'test/login.test.ts',
    content: "await page.fill('#password', process.env.TEST_PASSWORD ?? '');",
  },
  {
    name: 'kubernetes secretKeyRef',
    path: 'k8s/deploy.yaml',
    content: '            secretKeyRef:\n              key: api-key',
  },
  { name: 'semver ranges', path: 'package.json', content: '    "jsonwebtoken": "^9.0.2",' },
  { name: 'nonce generator', path: 'src/csp.ts', content: "const nonce = crypto.randomBytes(16).toString('base64');" },
  {
    name: 'minified chained assignment',
    path: 'dist/xterm.js',
    content: 'Object.defineProperty(t,"__esModule",{value:!0}),t.FourKeyMap=t.TwoKeyMap=void 0;',
  },
  {
    name: 'json list after a keyword',
    path: 'data/ids.json',
    content: '[\n\t"x-auth-token",\n\t"GPL-3.0-or-later",\n]',
  },
  {
    name: 'terraform variable',
    path: 'main.tf',
    content: 'password = var.db_password',
  },
];
