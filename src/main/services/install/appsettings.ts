// Reads Aura's appsettings.json the way ASP.NET does: JSON with comments and trailing commas
// allowed, keys case-insensitive. A malformed file is reported, never thrown at the caller.
import fs from 'node:fs';

export type AppSettings = Record<string, unknown>;

export type AppSettingsRead = { ok: true; settings: AppSettings } | { ok: false; error: string };

/** Remove // and /* *\/ comments and trailing commas outside strings. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      // Keep newlines so JSON.parse positions still map to the right line.
      const chunk = end === -1 ? text.slice(i) : text.slice(i, end + 2);
      out += chunk.replace(/[^\n]/g, ' ');
      i = end === -1 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

export function parseAppSettings(text: string): AppSettingsRead {
  const body = stripJsonComments(text.replace(/^\uFEFF/, ''));
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, error: 'the top level is not a JSON object' };
    }
    return { ok: true, settings: value as AppSettings };
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
      const line = body.slice(0, Number(pos[1])).split('\n').length;
      return { ok: false, error: `${msg.replace(/ in JSON at position \d+.*$/, '')} (line ${line})` };
    }
    return { ok: false, error: msg };
  }
}

export function readAppSettings(file: string): AppSettingsRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    return { ok: false, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
  return parseAppSettings(text);
}

/** Case-insensitive lookup of a `Section:Key:Sub` path, as IConfiguration does. */
export function configValue(settings: AppSettings | null, key: string): unknown {
  let node: unknown = settings;
  for (const part of key.split(':')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    const entry = Object.entries(node as Record<string, unknown>).find(
      ([k]) => k.toLowerCase() === part.toLowerCase(),
    );
    if (!entry) return undefined;
    node = entry[1];
  }
  return node;
}

export function configString(settings: AppSettings | null, key: string): string | undefined {
  const v = configValue(settings, key);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function configBool(settings: AppSettings | null, key: string): boolean | undefined {
  const v = configValue(settings, key);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
  }
  return undefined;
}
