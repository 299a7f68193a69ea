/**
 * Personal-data look-alikes that code is full of and that identify nobody: documentation addresses and domains,
 * fictional phone numbers, card networks' test numbers, published example IBANs, and the places where names and
 * addresses are public by intent (author lists, copyright and licence headers).
 */

/** Reserved (RFC 2606, 6761) or conventional placeholder domains: `example.com`, `b.co`, `test.test`, `domain.com`. */
const placeholderDomain =
  /(?:^|\.)(?:example|test|invalid|localhost|local|internal|domain|yourdomain|mydomain|email|mail|company|yourcompany|acme|foo|bar|baz|sample|fake|host|server|site|website|somewhere|nowhere|anywhere|one|person|someone|[a-z0-9])\.[a-z]{2,}(?:\.[a-z]{2})?$|\.(?:example|test|invalid|localhost|local|internal)$/i;
const nonPersonalDomain = /(?:^|\.)(?:users\.noreply\.github\.com|noreply\.[a-z.]+)$/i;
/** Role addresses and placeholder local parts: `noreply@`, `support@`, `john.doe@`, `user+tag@`, `a@`, `aaaa@`. */
const placeholderLocal =
  /^(?:no-?reply|donotreply|do-not-reply|git|root|admin|administrator|postmaster|webmaster|hostmaster|abuse|support|info|security|hello|contact|team|sales|help|billing|test\w*|user\w*|username|name|email|mail|foo|bar|baz|someone|somebody|anyone|nobody|me|you|(?:your|my)[._-]?(?:name|email|mail|address|user|login|account)?|john|jane|john[._-]?doe|jane[._-]?doe|johndoe|janedoe|first[._-]?last|firstname[._-]?lastname|example|sample|demo|dummy|fake|alice|bob|carol|dave|eve|mallory|address|something|somewhere|invalid|valid|nobody|whoever|person|customer|client|guest|anonymous|jdoe|jsmith|john[._-]?smith|jane[._-]?smith)(?:\+[\w.-]*)?$/i;

const fileExtension =
  /\.(?:png|jpe?g|gif|svg|webp|avif|ico|bmp|js|mjs|cjs|ts|tsx|jsx|css|scss|json|md|html?|map|pdf|txt|xml|ya?ml|zip|gz)$/i;

/** True for addresses that are documentation placeholders, role addresses or otherwise nobody's. */
export function isPlaceholderEmail(address: string): boolean {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (placeholderDomain.test(domain) || nonPersonalDomain.test(domain)) return true;
  if (fileExtension.test(domain)) return true; // icon@2x.png: a file name, not an address
  if (domain.split('.').some((label) => /example|^test$|^invalid$/i.test(label))) return true; // x@test.acme.io
  if (placeholderLocal.test(local)) return true;
  if (local.length <= 2 || /^(.)\1+$/.test(local)) return true; // a@gmail.com, aaaa@gmail.com
  return isKeyboardMash(local) || isKeyboardMash(domain.split('.')[0] ?? '');
}

/** `asdlkjf`, `lkjsdf`, `qwerty`: runs of home-row or top-row keys, or no vowel at all in a long label. */
function isKeyboardMash(label: string): boolean {
  const letters = label.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length < 4) return false;
  if (/asdf|sdfg|jkl|lkj|qwer|wert|zxcv|uiop|hjkl|fdsa|ghjk/.test(letters)) return true;
  return letters.length >= 6 && !/[aeiouy]/.test(letters);
}

/** Card numbers published by networks and processors for testing (Stripe, Adyen, Braintree, PayPal docs). */
const testCardNumbers = new Set([
  '4242424242424242',
  '4111111111111111',
  '4000056655665556',
  '5555555555554444',
  '5105105105105100',
  '2223003122003222',
  '5200828282828210',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '6011111111111117',
  '6011000990139424',
  '6011601160116611',
  '3056930009020004',
  '30569309025904',
  '38520000023237',
  '36227206271667',
  '3566002020360505',
  '3530111333300000',
  '6200000000000005',
  '4012888888881881',
  '4007000000027',
  '4222222222222',
  '5431111111111111',
  '4917610000000000',
  '4000000000000002',
  '4000000000000077',
  '4000000000009995',
  '4000002500003155',
  '4000000760000002',
  '4000001240000000',
]);

/** True for published test card numbers and obviously made-up ones (long runs of one digit). */
export function isTestCardNumber(digits: string): boolean {
  return testCardNumbers.has(digits) || /(\d)\1{6,}/.test(digits) || /0{5,}/.test(digits);
}

/** The example IBANs of the SWIFT IBAN registry and of banks' documentation. */
const exampleIbans = new Set([
  'DE89370400440532013000',
  'GB29NWBK60161331926819',
  'GB82WEST12345698765432',
  'NL91ABNA0417164300',
  'FR1420041010050500013M02606',
  'FR7630006000011234567890189',
  'BE68539007547034',
  'NO9386011117947',
  'CH9300762011623852957',
  'AT611904300234573201',
  'ES9121000418450200051332',
  'IT60X0542811101000000123456',
  'CY17002001280000001200527600',
  'MT84MALT011000012345MTLCAST001S',
  'TR330006100519786457841326',
  'PL61109010140000071219812874',
  'SE4550000000058398257466',
  'DK5000400440116243',
  'FI2112345600000785',
  'IE29AIBK93115212345678',
  'LU280019400644750000',
  'PT50000201231234567890154',
  'GR1601101250000000012300695',
]);

/** True for example IBANs (registry examples, runs of zeros, `12345` sequences). */
export function isExampleIban(iban: string): boolean {
  return exampleIbans.has(iban) || /0{8,}|123456/.test(iban);
}

/**
 * True for numbers reserved for fiction or that reach a business, not a person: North American 555-01xx (and the
 * 555 exchange as used in examples), toll-free numbers, the UK's Ofcom drama ranges, Australia's 0491 570 xxx range.
 */
export function isFictionalPhoneNumber(e164: string, type: string | undefined): boolean {
  if (type === 'TOLL_FREE' || type === 'SHARED_COST' || type === 'PREMIUM_RATE') return true;
  if (/^\+1\d{3}555\d{4}$/.test(e164)) return true;
  return (
    /^\+44(?:(?:113|114|115|116|117|118|121|131|141|151|161)4960|2079460|2896496|2920180|1632960|7700900|8081570|9098790|3069990)\d{3}$/.test(
      e164,
    ) || /^\+61491570\d{3}$/.test(e164)
  );
}

/** Files that exist to credit people: names and addresses in them are public by intent. */
const creditFile =
  /(?:^|\/)(?:CODE[_-]OF[_-]CONDUCT|SECURITY|CONTRIBUTING|SUPPORT|FUNDING|GOVERNANCE|AUTHORS|CONTRIBUTORS|MAINTAINERS|CREDITS|THANKS|OWNERS|CODEOWNERS|\.mailmap|PATENTS|NOTICE|COPYRIGHT|COPYING|LICEN[CS]E|UNLICENSE|CHANGELOG|CHANGES|HISTORY|NEWS|RELEASE[-_]?NOTES)(?:[._-][^/]*)?$/i;

/** True for author lists, licence texts (also `x.js.LICENSE`, `licenses/…`) and changelogs. */
export function isCreditFile(path: string): boolean {
  return creditFile.test(path) || /(?:^|\/)[^/]*licen[cs]es?(?:[^/]*$|\/)/i.test(path);
}

/** Attribution lines: copyright and licence headers, `@author`, trailers, manifest author fields. */
const attributionLine =
  /copyright|\(c\)|©|@author|\bauthors?\s*[:=]|"(?:author|contributors|maintainers)"|\bmaintainers?\s*[:=]|signed-off-by:|co-authored-by:|reviewed-by:|reported-by:|acked-by:|tested-by:|helped-by:|spdx-filecopyrighttext|licen[cs]ed under|all rights reserved/i;

/** True for lines that credit someone rather than leak their data. */
export function isAttributionLine(text: string): boolean {
  return attributionLine.test(text);
}

/** Manifests whose addresses are their authors' and maintainers' (package.json, pyproject.toml, Cargo.toml…). */
const manifestFile =
  /(?:^|\/)(?:package\.json|composer\.json|bower\.json|pyproject\.toml|setup\.py|setup\.cfg|Cargo\.toml|pom\.xml|[^/]+\.gemspec|[^/]+\.nuspec|DESCRIPTION|META\.(?:json|yml)|debian\/control|[^/]+\.cabal|pubspec\.yaml)$/;

/** True for package manifests: the addresses in them are their authors' contact, given to be published. */
export function isManifest(path: string): boolean {
  return manifestFile.test(path);
}
