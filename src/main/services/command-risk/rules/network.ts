// curl and wget fetch over HTTP. They only read when they GET or HEAD an http(s) URL and write the
// body to stdout or /dev/null: no request body, no method but GET/HEAD, no file they write or read
// their options from (-o FILE, -D, -c, --trace, -K), and no scheme that sends raw bytes (gopher://, dict://).
import { parseOptions } from '../options';
import { type Arg, type ToolRule, shown } from '../types';

const HTTP_URL = /^https?:\/\/[^\s]/i;

/** Why a URL operand may do more than an HTTP GET; null for a plain http(s) URL. */
function urlProblem(tool: string, a: Arg): string | null {
  const known = a.value ?? a.prefix;
  if (HTTP_URL.test(known) && /^https?:\/\/[^/]/i.test(known)) return null;
  return a.value === null
    ? `${tool} ${shown(a)}: a URL only known at run time may use another scheme (gopher://, dict://, file://)`
    : `${tool} ${shown(a)}: only http:// and https:// URLs are known to only read`;
}

/** A file an option writes to: only stdout (-) and /dev/null are accepted. */
function toStdout(a: Arg | null): boolean {
  return a?.value === '-' || a?.value === '/dev/null';
}

export const curlRule: ToolRule = (args, ctx) => {
  const p = parseOptions(ctx.name, args, {
    flags: 'sSfLIivkGN46q',
    valued: 'mwoHXAue',
    long: [
      '--silent',
      '--show-error',
      '--fail',
      '--fail-with-body',
      '--location',
      '--head',
      '--include',
      '--verbose',
      '--insecure',
      '--compressed',
      '--get',
      '--no-buffer',
      '--http1.1',
      '--http2',
      '--ipv4',
      '--ipv6',
      '--no-progress-meter',
      '--globoff',
      '--no-keepalive',
      '--path-as-is',
      '--raw',
    ],
    longValued: [
      '--max-time',
      '--connect-timeout',
      '--write-out',
      '--output',
      '--header',
      '--request',
      '--user-agent',
      '--user',
      '--retry',
      '--retry-delay',
      '--retry-max-time',
      '--max-filesize',
      '--noproxy',
      '--referer',
      '--unix-socket',
      '--resolve',
      '--connect-to',
      '--limit-rate',
      '--speed-limit',
      '--speed-time',
    ],
  });
  const reasons = [...p.reasons];
  for (const o of p.options) {
    if ((o.name === '-o' || o.name === '--output') && !toStdout(o.value))
      reasons.push(`curl ${o.name} ${o.value ? shown(o.value) : ''} writes a file`);
    if (o.name === '-X' || o.name === '--request') {
      const m = o.value?.value?.toUpperCase();
      if (m !== 'GET' && m !== 'HEAD')
        reasons.push(`curl ${o.name} ${o.value ? shown(o.value) : ''} sends a request that can change data`);
    }
    // -w '%output{FILE}' (curl 8.3+) writes the report to a file.
    if (
      (o.name === '-w' || o.name === '--write-out') &&
      (o.value?.value === null || /%output\{|^@/.test(o.value?.value ?? ''))
    ) {
      reasons.push(
        `curl ${o.name} ${o.value ? shown(o.value) : ''} may write to a file or read a format file`,
      );
    }
    // -u user:pass is fine, but -u/-H/-A values read from a file with @ are not needed here.
  }
  const urls = p.operands;
  if (urls.length === 0) reasons.push('curl without a URL');
  for (const u of urls) {
    const problem = urlProblem('curl', u);
    if (problem) reasons.push(problem);
  }
  return reasons;
};

/** wget writes what it fetches to a file unless -O - sends it to stdout; --spider fetches nothing. */
export const wgetRule: ToolRule = (args, ctx) => {
  const p = parseOptions(ctx.name, args, {
    flags: 'qSv',
    valued: 'OTt',
    long: ['--quiet', '--server-response', '--spider', '--verbose', '--no-verbose', '--no-check-certificate'],
    longValued: ['--output-document', '--timeout', '--tries'],
  });
  const reasons = [...p.reasons];
  const out = p.options.filter((o) => o.name === '-O' || o.name === '--output-document');
  const spider = p.options.some((o) => o.name === '--spider');
  if (out.some((o) => !toStdout(o.value)) || (out.length === 0 && !spider))
    reasons.push('wget saves what it fetches to a file (use -O - to print it)');
  if (p.operands.length === 0) reasons.push('wget without a URL');
  for (const u of p.operands) {
    const problem = urlProblem('wget', u);
    if (problem) reasons.push(problem);
  }
  return reasons;
};

export const NETWORK_RULES: Record<string, ToolRule> = { curl: curlRule, wget: wgetRule };
