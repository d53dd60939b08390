// Runbook metadata (pure): the values front matter and bold key/value lines carry (severity,
// category, review date), the front matter block itself, and what is inferred from bold lines.
import { parse as parseYaml, YAMLParseError } from 'yaml';
import {
  RUNBOOK_CATEGORIES,
  SEVERITIES,
  type ParseProblem,
  type RunbookCategory,
  type RunbookMeta,
  type Severity,
} from './types';

/** Front matter longer than this is not front matter but a document that starts with a rule. */
const MAX_FRONT_MATTER_LINES = 200;
/** Bold key/value lines are looked for in the first lines and the last lines (a footer). */
const META_SCAN_HEAD_LINES = 80;
const META_SCAN_TAIL_LINES = 30;

export function emptyMeta(): RunbookMeta {
  return {
    title: null,
    category: null,
    severity: null,
    estimatedTime: null,
    symptoms: [],
    tags: [],
    owner: null,
    lastReviewed: null,
    sources: {},
  };
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'SEV-1',
  high: 'SEV-2',
  medium: 'SEV-3',
  moderate: 'SEV-3',
  low: 'SEV-4',
};

export function parseSeverity(value: unknown): Severity | null {
  if (typeof value === 'number' && value >= 1 && value <= 4) return SEVERITIES[value - 1];
  if (typeof value !== 'string') return null;
  const m = /\bsev[\s_-]?([1-4])\b/i.exec(value) ?? /^\s*([1-4])\s*$/.exec(value);
  if (m) return SEVERITIES[Number(m[1]) - 1];
  const w = /\b(critical|high|medium|moderate|low)\b/i.exec(value);
  return w ? SEVERITY_WORDS[w[1].toLowerCase()] : null;
}

export function parseCategory(value: unknown): RunbookCategory | null {
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  return RUNBOOK_CATEGORIES.find((c) => c.toLowerCase() === v) ?? null;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** A review date as yyyy-mm-dd, from ISO, yyyy/mm/dd, "November 10, 2024" or a YAML Date. */
export function parseReviewDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
  }
  if (typeof value !== 'string') return null;
  const iso = /(\d{4})[-/](\d{1,2})[-/](\d{1,2})/.exec(value);
  if (iso) {
    const [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
    return `${y}-${pad2(mo)}-${pad2(d)}`;
  }
  const t = Date.parse(value.replace(/\s+/g, ' ').trim());
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

function stringList(value: unknown): string[] | null {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.map((v) => String(v).trim()).filter(Boolean);
  }
  return null;
}

/** Accept camelCase, snake_case, kebab-case and spaced keys alike. */
function normKey(k: string): string {
  return k.toLowerCase().replace(/[\s_-]/g, '');
}

interface FrontMatter {
  data: Record<string, unknown> | null;
  /** Number of lines taken by the front matter including both fences. */
  lines: number;
}

/** Split off the front matter (a --- block) and read it as YAML; what is wrong with it is a problem. */
export function splitFrontMatter(text: string, problems: ParseProblem[]): FrontMatter {
  if (!text.startsWith('---\n') && text !== '---') return { data: null, lines: 0 };
  const lines = text.split('\n', MAX_FRONT_MATTER_LINES + 2);
  let end = -1;
  for (let i = 1; i < lines.length && i <= MAX_FRONT_MATTER_LINES; i++) {
    if (lines[i] === '---' || lines[i] === '...') {
      end = i;
      break;
    }
  }
  if (end < 0) {
    problems.push({
      line: 1,
      severity: 'error',
      rule: 'front-matter',
      message: 'Front matter opened with --- is never closed: add a --- line after the last key.',
    });
    return { data: null, lines: 0 };
  }
  const yamlText = lines.slice(1, end).join('\n');
  let data: unknown;
  try {
    data = parseYaml(yamlText);
  } catch (err) {
    // YAML line 1 is file line 2 (after the opening ---).
    const line = err instanceof YAMLParseError && err.linePos ? err.linePos[0].line + 1 : 1;
    const what = (err instanceof Error ? err.message.split('\n')[0] : String(err)).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    problems.push({
      line,
      severity: 'error',
      rule: 'front-matter',
      message: `Front matter is not valid YAML (${what}): fix it or remove the --- block.`,
    });
    return { data: null, lines: end + 1 };
  }
  if (data === null || data === undefined) return { data: {}, lines: end + 1 };
  if (typeof data !== 'object' || Array.isArray(data)) {
    problems.push({
      line: 2,
      severity: 'error',
      rule: 'front-matter',
      message: 'Front matter must be a set of key: value lines (a YAML mapping).',
    });
    return { data: null, lines: end + 1 };
  }
  return { data: data as Record<string, unknown>, lines: end + 1 };
}

/** Set the metadata from the front matter's keys; a key with an unusable value is a warning. */
export function applyFrontMatter(
  meta: RunbookMeta,
  data: Record<string, unknown>,
  problems: ParseProblem[],
): void {
  const bad = (key: string, message: string) =>
    problems.push({
      line: 1,
      severity: 'warning',
      rule: 'front-matter',
      message: `Front matter "${key}": ${message}`,
    });
  for (const [key, value] of Object.entries(data)) {
    switch (normKey(key)) {
      case 'title':
        if (typeof value === 'string' && value.trim()) {
          meta.title = value.trim();
          meta.sources.title = 'front-matter';
        } else bad(key, 'must be a non-empty string.');
        break;
      case 'category': {
        const c = parseCategory(value);
        if (c) {
          meta.category = c;
          meta.sources.category = 'front-matter';
        } else bad(key, `must be one of ${RUNBOOK_CATEGORIES.join(', ')}.`);
        break;
      }
      case 'severity': {
        const s = parseSeverity(value);
        if (s) {
          meta.severity = s;
          meta.sources.severity = 'front-matter';
        } else bad(key, 'must be SEV-1, SEV-2, SEV-3 or SEV-4.');
        break;
      }
      case 'estimatedtime':
      case 'timetoresolve':
        if (typeof value === 'string' || typeof value === 'number') {
          meta.estimatedTime = String(value).trim();
          meta.sources.estimatedTime = 'front-matter';
        } else bad(key, 'must be text such as "15-30 minutes".');
        break;
      case 'symptoms': {
        const l = stringList(value);
        if (l) {
          meta.symptoms = l;
          meta.sources.symptoms = 'front-matter';
        } else bad(key, 'must be a list of strings.');
        break;
      }
      case 'tags': {
        const l = stringList(value);
        if (l) meta.tags = l;
        else bad(key, 'must be a list of strings.');
        break;
      }
      case 'owner':
        if (typeof value === 'string') meta.owner = value.trim();
        else bad(key, 'must be a string.');
        break;
      case 'lastreviewed':
      case 'lastupdated':
      case 'reviewed': {
        const d = parseReviewDate(value);
        if (d) {
          meta.lastReviewed = d;
          meta.sources.lastReviewed = 'front-matter';
        } else bad(key, 'must be a date as yyyy-mm-dd.');
        break;
      }
      default:
        // Unknown keys are allowed (other tools' front matter); they are kept out of the model.
        break;
    }
  }
}

const BOLD_KV_RE = /^\s*(?:[-*+]\s+)?\*\*([^*:]+?)(?::\s*)?\*\*\s*:?\s*(.+?)\s*$/;

/** Fill what front matter left empty from bold key/value lines (`- **Severity**: Critical`). */
export function inferFromBoldLines(meta: RunbookMeta, body: string): void {
  const lines = body.split('\n');
  const scan =
    lines.length <= META_SCAN_HEAD_LINES + META_SCAN_TAIL_LINES
      ? lines
      : [...lines.slice(0, META_SCAN_HEAD_LINES), ...lines.slice(-META_SCAN_TAIL_LINES)];
  for (const line of scan) {
    const m = BOLD_KV_RE.exec(line);
    if (!m) continue;
    const key = normKey(m[1]);
    const value = m[2].replace(/\s+$/, '');
    if (key === 'severity' || key === 'severitylevel') {
      const s = parseSeverity(value);
      if (s && !meta.severity) {
        meta.severity = s;
        meta.sources.severity = 'inferred';
      }
    } else if (
      key === 'estimatedtime' ||
      key === 'timetoresolve' ||
      key === 'estimatedtimetoresolve' ||
      key === 'duration'
    ) {
      if (!meta.estimatedTime) {
        meta.estimatedTime = value;
        meta.sources.estimatedTime = 'inferred';
      }
    } else if (key === 'lastupdated' || key === 'lastreviewed') {
      const d = parseReviewDate(value);
      if (d && !meta.lastReviewed) {
        meta.lastReviewed = d;
        meta.sources.lastReviewed = 'inferred';
      }
    } else if (key === 'category') {
      const c = parseCategory(value);
      if (c && !meta.category) {
        meta.category = c;
        meta.sources.category = 'inferred';
      }
    } else if (key === 'owner' || key === 'maintainedby') {
      if (!meta.owner) meta.owner = value;
    }
  }
}
