// Secret redaction, one rule set for configuration and log text (in the style of gitleaks): PEM
// private keys, provider token shapes, URL credentials, secret-named keys, and high-entropy strings.
// Pure (no Node); each rule counts what it hid, so a bundle can say what was taken out.

export const REDACTED = '***REDACTED***';

/** Shortest run the entropy rule looks at: shorter random strings are too often ordinary words. */
const ENTROPY_MIN_LENGTH = 20;
/** Bits per character above which a mixed-case, digit-bearing run is taken for a key (random base64 of 20+ chars is ~4.1+). */
const ENTROPY_MIN_BITS = 3.9;
/** Longest key name the key=value rule reads (longer is not a name). */
const MAX_KEY_NAME = 64;

/** Words for a password: their values are secrets, numbers included. */
const PASSWORD_WORDS = ['password', 'passwd', 'pwd', 'pass', 'passphrase', 'secret'];
/** Words of a key name that mark its value as a secret (matched on camelCase/snake/kebab words). */
const SECRET_WORDS = new Set([
  ...PASSWORD_WORDS,
  'secrets',
  'token',
  'auth',
  'authorization',
  'cred',
  'creds',
  'credential',
  'credentials',
  'pin',
  'apikey',
  'apikeys',
  'privatekey',
  'accesskey',
  'accountkey',
  'clientsecret',
  'connectionstring',
  'sas',
  'sig',
  'signature',
  'salt',
  'cookie',
  'bearer',
  'dsn',
]);
/** A word that makes a following "key" a secret: ApiKey, private_key, X-API-Key, AccountKey... */
const KEY_QUALIFIERS = new Set([
  'api',
  'private',
  'access',
  'account',
  'secret',
  'signing',
  'encryption',
  'master',
  'client',
  'subscription',
  'shared',
  'license',
  'auth',
  'storage',
  'primary',
  'secondary',
]);
/** Names whose numbers are secrets too (a PIN, a numeric password); elsewhere numbers are kept. */
const NUMERIC_SECRET_WORDS = new Set([...PASSWORD_WORDS, 'pin', 'code']);

/** "X-API-Key" -> ["x", "api", "key"], "ConnectionStrings" -> ["connection", "strings"]. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Does a key name (JSON key, key=value, HTTP header) hold a secret? Case-insensitive, word-based. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  const joined = words.join('');
  if (words.length === 1 && (words[0] === 'key' || words[0] === 'keys')) return true;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (SECRET_WORDS.has(w)) return true;
    if ((w === 'key' || w === 'keys') && i > 0 && KEY_QUALIFIERS.has(words[i - 1])) return true;
  }
  return /password|passwd|secret|apikey|privatekey|accesskey|connectionstring|credential/.test(joined);
}

function isNumericSecretName(name: string): boolean {
  return (
    nameWords(name).some((w) => NUMERIC_SECRET_WORDS.has(w)) ||
    /password|passwd|secret/.test(nameWords(name).join(''))
  );
}

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A run with `/` whose segments read like folder names is a path, not base64. */
function looksLikePath(s: string): boolean {
  if (!s.includes('/')) return false;
  const segs = s.split('/').filter(Boolean);
  const wordy = segs.filter(
    (x) =>
      /^[a-z][a-z0-9_-]*$/.test(x) || /^[A-Z][a-z]+(?:[A-Z][a-z]+)*[0-9]*$/.test(x) || /^[0-9]+$/.test(x),
  );
  return wordy.length * 2 >= segs.length;
}

/** Share of the letters that sit in word-like runs (Missing, database): an identifier, not a key. */
const WORDY_SHARE = 0.5;

function wordShare(s: string): number {
  const letters = s.replace(/[^A-Za-z]/g, '').length;
  if (letters === 0) return 0;
  let inWords = 0;
  for (const m of s.matchAll(/[A-Z]?[a-z]{3,}/g)) if (m[0].length >= 4) inWords += m[0].length;
  return inWords / letters;
}

/** True for a run the entropy rule should hide: long, mixed case with digits, random-looking, not hex, not a path. */
export function isHighEntropy(s: string): boolean {
  const core = s.replace(/=+$/, '');
  if (core.length < ENTROPY_MIN_LENGTH) return false;
  if (/^[0-9a-fA-F-]+$/.test(core)) return false; // hashes, GUIDs and correlation ids stay readable
  if (!/[a-z]/.test(core) || !/[A-Z]/.test(core) || !/[0-9]/.test(core)) return false;
  if (looksLikePath(core)) return false;
  if (wordShare(core) >= WORDY_SHARE) return false; // 20251122175419_AddMissingDatabaseTables
  return entropy(core) >= ENTROPY_MIN_BITS;
}

interface TextRule {
  id: string;
  re: RegExp;
  /** The replacement for one match; return the match itself to keep it (not counted). */
  replace: (m: string, ...groups: string[]) => string;
}

const whole = (): string => REDACTED;
const PEM_LABEL = '[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?';

/**
 * Rules for free text, in order: whole PEM blocks first (so their lines are not taken apart), then
 * provider shapes, header and URL credentials, secret-named pairs, and last the entropy catch-all.
 */
const TEXT_RULES: TextRule[] = [
  {
    id: 'pem-private-key',
    re: new RegExp(`-----BEGIN ${PEM_LABEL}-----[\\s\\S]*?-----END ${PEM_LABEL}-----`, 'g'),
    replace: whole,
  },
  // A block cut by the log tail or the end of a value: the head with every base64 line after it...
  {
    id: 'pem-private-key',
    re: new RegExp(`-----BEGIN ${PEM_LABEL}-----(?:[A-Za-z0-9+/=:, \\t\\r\\n-]|\\\\[nr])*`, 'g'),
    replace: whole,
  },
  // ...or the tail: base64 lines ending in the END line.
  {
    id: 'pem-private-key',
    re: new RegExp(`(?:[A-Za-z0-9+/=]{16,}(?:\\r?\\n|\\\\r?\\\\n))*-----END ${PEM_LABEL}-----`, 'g'),
    replace: whole,
  },
  { id: 'stripe-key', re: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{10,}\b/g, replace: whole },
  {
    id: 'github-token',
    re: /\b(?:github_pat_[A-Za-z0-9_]{20,}|gh[pousr]_[A-Za-z0-9]{20,})\b/g,
    replace: whole,
  },
  { id: 'gitlab-token', re: /\bglpat-[A-Za-z0-9_-]{20,}/g, replace: whole },
  {
    id: 'slack-token',
    re: /\bxox[abposre]-[A-Za-z0-9-]{10,}|https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g,
    replace: whole,
  },
  {
    id: 'aws-access-key-id',
    re: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/g,
    replace: whole,
  },
  { id: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{30,}/g, replace: whole },
  {
    id: 'openai-anthropic-key',
    re: /\bsk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_-]{20,}/g,
    replace: whole,
  },
  { id: 'huggingface-token', re: /\bhf_[A-Za-z0-9]{30,}\b/g, replace: whole },
  { id: 'npm-token', re: /\bnpm_[A-Za-z0-9]{30,}\b/g, replace: whole },
  { id: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, replace: whole },
  { id: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: whole },
  // Authorization schemes: the credential of any charset (hex, base64, opaque), not the word "token".
  {
    id: 'auth-header',
    re: /\b(Bearer|Basic|Digest|Token|ApiKey)(\s+)(?!\*\*\*)([^\s"'<>,;]{8,})/gi,
    replace: (m, scheme: string, space: string, cred: string) =>
      /[^A-Za-z]/.test(cred) ? `${scheme}${space}${REDACTED}` : m,
  },
  {
    id: 'url-credentials',
    re: /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/"'<>]*):([^\s@/"'<>]+)@/gi,
    replace: (m, scheme: string, user: string, pw: string) =>
      pw === REDACTED ? m : `${scheme}${user}:${REDACTED}@`,
  },
  {
    id: 'url-query-secret',
    re: /([?&](?:sig|signature|token|access_token|refresh_token|id_token|key|api_key|apikey|code|password|secret|client_secret)=)([^&\s"'<>]+)/gi,
    replace: (m, k: string, v: string) => (v === REDACTED ? m : `${k}${REDACTED}`),
  },
];

/** `name = value`, `"name": "value"`, `name: value` (headers), with JSON-escaped quotes in log lines. */
const PAIR_RE = new RegExp(
  `(\\\\?["']?)([A-Za-z_][A-Za-z0-9_.-]{0,${MAX_KEY_NAME - 1}})\\1(\\s*[:=]\\s*)` +
    `(\\\\"(?:(?!\\\\")[^\\r\\n])*\\\\"|"(?:[^"\\\\\\r\\n]|\\\\.)*"|'[^'\\r\\n]*'|[^\\s,;&"'<>{}\\[\\]]+)`,
  'g',
);
const ENTROPY_RE = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])/g;

/** The rule ids, in the order the manifest lists them. */
export const REDACTION_RULES: readonly string[] = [
  ...new Set([...TEXT_RULES.map((r) => r.id), 'secret-name', 'high-entropy']),
];

export type RedactionCounts = Record<string, number>;

/** One redaction pass (a bundle): the same rules for every text and config value, with counts per rule. */
export class Redactor {
  readonly counts: RedactionCounts = Object.fromEntries(REDACTION_RULES.map((id) => [id, 0]));

  private hit(id: string): void {
    this.counts[id] = (this.counts[id] ?? 0) + 1;
  }

  /** Every rule over free text (a log tail, a JSON dump, a single config string). */
  text(input: string): string {
    let out = input;
    for (const rule of TEXT_RULES) {
      out = out.replace(rule.re, (m: string, ...rest: unknown[]) => {
        const groups = rest.filter((g): g is string => typeof g === 'string');
        const r = rule.replace(m, ...groups);
        if (r !== m) this.hit(rule.id);
        return r;
      });
    }
    out = this.pairs(out);
    return out.replace(ENTROPY_RE, (m) => {
      if (!isHighEntropy(m)) return m;
      this.hit('high-entropy');
      return REDACTED;
    });
  }

  /** Secret-named pairs; a pair whose name is not secret is stepped over by its name only, so a value holding `Password=x;` is still read. */
  private pairs(text: string): string {
    let out = '';
    let last = 0;
    const re = new RegExp(PAIR_RE.source, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const [all, quote, name, sep, value] = m;
      if (!isSecretName(name) || !this.redactableValue(name, value)) {
        re.lastIndex = m.index + quote.length + name.length;
        continue;
      }
      // `Authorization: Bearer x`: keep the scheme, hide the credential after it (unless already hidden).
      if (/^(Bearer|Basic|Digest|Token|ApiKey|Negotiate)$/i.test(value)) {
        const after = /^(\s+)([^\s"'<>,;]+)/.exec(text.slice(m.index + all.length));
        if (after && after[2] !== REDACTED) {
          out += text.slice(last, m.index) + all + after[1] + REDACTED;
          last = m.index + all.length + after[0].length;
          re.lastIndex = last;
          this.hit('secret-name');
        } else re.lastIndex = m.index + all.length;
        continue;
      }
      const q = /^\\"/.test(value) ? '\\"' : /^["']/.test(value) ? value[0] : '';
      out +=
        text.slice(last, m.index) +
        all.slice(0, quote.length * 2 + name.length + sep.length) +
        `${q}${REDACTED}${q}`;
      last = m.index + all.length;
      this.hit('secret-name');
    }
    return out + text.slice(last);
  }

  private redactableValue(name: string, raw: string): boolean {
    const v = raw.replace(/^\\"|\\"$/g, '').replace(/^["']|["']$/g, '');
    if (v === '' || v === REDACTED || /^(null|true|false|none|undefined)$/i.test(v)) return false;
    if (/^-?\d+(\.\d+)?$/.test(v)) return isNumericSecretName(name);
    return true;
  }

  /** A deep copy of parsed JSON with every secret replaced; `under` = inside a secret-named object. */
  config(value: unknown, under = false, name = ''): unknown {
    if (Array.isArray(value)) return value.map((v) => this.config(v, under, name));
    if (typeof value === 'object' && value !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        out[k] = this.config(v, under || isSecretName(k), k);
      return out;
    }
    if (typeof value === 'string') {
      if (under && value.length > 0) {
        this.hit('secret-name');
        return REDACTED;
      }
      return this.text(value);
    }
    if (typeof value === 'number' && under && isNumericSecretName(name)) {
      this.hit('secret-name');
      return REDACTED;
    }
    return value; // booleans, null and ordinary numbers say nothing secret
  }
}

/** Redact free text with the full rule set (no counts kept). */
export function redactText(text: string): string {
  return new Redactor().text(text);
}

/** Redact parsed configuration with the full rule set (no counts kept). */
export function redactConfig(value: unknown): unknown {
  return new Redactor().config(value);
}
