import type { FindingSeverity } from '@orchestrator/spec';

/** One security rule of the static reviewer, applied to each added line of matching files. */
export interface StaticReviewRule {
  id: string;
  severity: FindingSeverity;
  /** File extensions the rule applies to (without dot); empty means every file. */
  extensions: readonly string[];
  pattern: RegExp;
  message: string;
  fix: string;
}

const js = ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts'];
const py = ['py'];
const code = [...js, ...py, 'go', 'rb', 'php', 'java', 'kt', 'cs', 'rs'];

/** Security rules for common vulnerabilities (OWASP top-ten style), matched on added lines of a diff. */
export const staticReviewRules: readonly StaticReviewRule[] = [
  {
    id: 'review.eval',
    severity: 'high',
    extensions: [...js, ...py, 'php', 'rb'],
    pattern: /(?<![\w.])(?:eval|exec)\s*\(|new\s+Function\s*\(|setTimeout\s*\(\s*["'`]/,
    message: 'Dynamic code execution (eval / new Function / exec): attacker-controlled input becomes code.',
    fix: 'Parse the data instead (JSON.parse, a lookup table, a real parser); never evaluate strings built from input.',
  },
  {
    id: 'review.command-injection',
    severity: 'high',
    extensions: code,
    pattern:
      /\b(?:exec|execSync|spawnSync|spawn)\s*\(\s*(?:`[^`]*\$\{|["'][^"']*["']\s*\+)|\bos\.system\s*\(|\bsubprocess\.\w+\([^)]*shell\s*=\s*True|\bshell_exec\s*\(/,
    message: 'A shell command is built from variables: input can inject extra commands.',
    fix: 'Use execFile/spawn with an argument array (no shell), or validate the input against an allowlist.',
  },
  {
    id: 'review.sql-injection',
    severity: 'high',
    extensions: code,
    pattern:
      /\b(?:query|execute|exec|raw|prepare)\s*\(\s*(?:`[^`]*\b(?:SELECT|INSERT|UPDATE|DELETE)\b[^`]*\$\{|["'][^"']*\b(?:SELECT|INSERT|UPDATE|DELETE)\b[^"']*["']\s*(?:\+|%|\.format))|\bf["'][^"']*\b(?:SELECT|INSERT|UPDATE|DELETE)\b[^"']*\{/i,
    message: 'An SQL statement is built by string interpolation: input can change the query.',
    fix: 'Use parameterised queries (placeholders such as $1 or ?) and pass values separately.',
  },
  {
    id: 'review.path-traversal',
    severity: 'high',
    extensions: code,
    pattern:
      /\b(?:readFile|readFileSync|createReadStream|writeFile|writeFileSync|sendFile|unlink|open|join|resolve)\s*\([^)]*\b(?:req|request|ctx|params|query)\.(?:params|query|body|path|url|files?)\b/,
    message: 'A file path is built from request input: `../` can reach files outside the intended directory.',
    fix: 'Resolve the path, then check it stays inside the base directory (path.resolve + startsWith(base + sep)), or map ids to files.',
  },
  {
    id: 'review.hard-coded-credential',
    severity: 'medium',
    extensions: code,
    pattern:
      /\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token)\s*[:=]\s*["'][^"'\s]{4,}["']/i,
    message: 'A credential is written into the source code.',
    fix: 'Read it from the environment or a secret manager; rotate the value if it was real.',
  },
  {
    id: 'review.weak-crypto',
    severity: 'medium',
    extensions: code,
    pattern:
      /createHash\s*\(\s*["'](?:md5|sha1|md4)["']|\bhashlib\.(?:md5|sha1)\s*\(|createCipher\s*\(|createCipheriv\s*\(\s*["'](?:des|des-ede|rc4|[a-z0-9-]*-ecb)|\bMD5\.Create\(|\bDES\.Create\(/i,
    message: 'A weak or broken cryptographic primitive (MD5, SHA-1, DES, RC4, ECB mode, createCipher).',
    fix: 'Use SHA-256 or better for hashing, bcrypt/scrypt/argon2 for passwords, and AES-GCM via createCipheriv with a random IV.',
  },
  {
    id: 'review.insecure-random',
    severity: 'medium',
    extensions: js,
    pattern: /\b(?:token|secret|password|salt|nonce|session|otp)\w*\s*[:=][^;]*Math\.random\s*\(/i,
    message: 'Math.random() is used for a security value; it is predictable.',
    fix: 'Use crypto.randomBytes / crypto.randomUUID / crypto.getRandomValues.',
  },
  {
    id: 'review.tls-verification-disabled',
    severity: 'high',
    extensions: code,
    pattern:
      /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*["']?0|\bverify\s*=\s*False|InsecureSkipVerify\s*:\s*true/,
    message: 'TLS certificate verification is disabled: traffic can be intercepted.',
    fix: 'Keep verification on; trust a private CA by passing its certificate (ca option) instead.',
  },
  {
    id: 'review.xss',
    severity: 'medium',
    extensions: [...js, 'html', 'vue', 'svelte'],
    pattern: /\.innerHTML\s*=(?!=)|dangerouslySetInnerHTML|document\.write\s*\(|\bv-html\s*=/,
    message: 'HTML is inserted without escaping: input can inject scripts (XSS).',
    fix: 'Set textContent, or sanitise with a maintained sanitiser (DOMPurify) before inserting HTML.',
  },
];
