// Secret redaction for the support bundle: config values under secret-looking names, passwords in
// connection strings, credentials in URLs and token-shaped strings. Errs on the side of hiding.

export const REDACTED = '***REDACTED***';

/** Names that hold secrets (Aura's SensitiveDataFilter list, FACTS §2.5, plus connection strings). */
const SECRET_NAME_RE = /pass(word)?|pwd|secret|token|api[-_]?key|key|credential|bearer|authorization|connectionstring|private|signing|salt|dsn/i;
/** `password=...` style pairs inside connection strings (StackExchange.Redis, ADO.NET, Npgsql). */
const CONN_PAIR_RE = /\b(password|pwd|user ?id|uid|username|user|access ?key|account ?key|shared ?access ?key|sharedaccesssignature|token|secret)\s*=\s*("[^"]*"|'[^']*'|[^;,\s"]*)/gi;
/** Secret-bearing URL query parameters (SAS signatures, tokens, keys). */
const QUERY_SECRET_RE = /([?&](?:sig|signature|token|access_token|refresh_token|key|api_key|apikey|code|password|secret|client_secret)=)[^&\s"']+/gi;
/** `scheme://user:pass@host` */
const URL_CRED_RE = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@"']+):([^@\s/"']+)@/gi;
/** Well-known token shapes: OpenAI/Anthropic keys, Slack, GitHub, AWS, JWT, long hex/base64 runs. */
const TOKEN_RE = /\b(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|xox[abposr]-[A-Za-z0-9-]{10,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{30,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})\b/g;
const LONG_SECRET_RE = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}\b/g;

/**
 * Redact secrets inside free text. `longRuns` also hides any 32+ character letter-and-digit run:
 * right for config values, wrong for logs (correlation ids look exactly like that).
 */
export function redactText(text: string, longRuns = false): string {
  const out = text
    .replace(CONN_PAIR_RE, (_m, k: string) => `${k}=${REDACTED}`)
    .replace(URL_CRED_RE, (_m, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`)
    .replace(QUERY_SECRET_RE, (_m, k: string) => `${k}${REDACTED}`)
    .replace(TOKEN_RE, REDACTED);
  return longRuns ? out.replace(LONG_SECRET_RE, REDACTED) : out;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME_RE.test(name);
}

/** A deep copy of parsed JSON with every secret replaced; `under` = inside a secret-named object. */
export function redactConfig(value: unknown, under = false): unknown {
  if (Array.isArray(value)) return value.map((v) => redactConfig(v, under));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactConfig(v, under || isSecretName(k));
    return out;
  }
  if (typeof value === 'string') return under && value.length > 0 ? REDACTED : redactText(value, true);
  if (typeof value === 'number') return under ? REDACTED : value;
  return value; // booleans and null say nothing secret
}
