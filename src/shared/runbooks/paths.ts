// Pure posix path helpers for links between runbooks (src/shared may not import node:path), and
// the URL classification the parser and the viewer share (which hrefs are refused outright).

/** Schemes never followed, rendered or passed on: they run code or smuggle content. */
const REFUSED_SCHEMES = ['javascript:', 'data:', 'vbscript:', 'file:'];

/** Lower-cased href with whitespace and control characters removed (browsers ignore them too). */
function squash(href: string): string {
  return href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
}

export function isRefusedUrl(href: string): boolean {
  const s = squash(href);
  // Entity-encoded scheme characters (e.g. "javascript&#58;") are refused as well.
  if (/^[a-z0-9+.-]*&(#|colon)/.test(s)) return true;
  return REFUSED_SCHEMES.some((scheme) => s.startsWith(scheme));
}

export function isExternalUrl(href: string): boolean {
  return /^https?:\/\//i.test(href.trim());
}

/** True when the href names a scheme (mailto:, ftp:, ...) rather than a relative path. */
export function hasScheme(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href.trim());
}

export function posixDirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '.') : p.slice(0, i);
}

/** Join and normalise posix segments; keeps leading '..' that escape the root (callers check). */
export function posixJoin(...parts: string[]): string {
  const joined = parts.filter((p) => p.length > 0).join('/');
  const absolute = joined.startsWith('/');
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const body = out.join('/');
  return absolute ? `/${body}` : body || '.';
}

/** Split "a/b.md#frag?x" into path and fragment (query dropped). */
export function splitHref(href: string): { path: string; fragment: string | null } {
  const hashAt = href.indexOf('#');
  const beforeHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const fragment = hashAt >= 0 ? href.slice(hashAt + 1) : null;
  const q = beforeHash.indexOf('?');
  const path = q >= 0 ? beforeHash.slice(0, q) : beforeHash;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed %-escape: keep the raw path; the link then simply fails to resolve (lint says so).
    decoded = path;
  }
  return { path: decoded, fragment: fragment === '' ? null : fragment };
}

/** GitHub-style heading slug: lower-case, punctuation dropped, spaces to dashes. */
export function slugify(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}
