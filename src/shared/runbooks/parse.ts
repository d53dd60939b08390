// The runbook parser (pure): front matter, metadata inferred from headings and bold key/value
// lines, the six sections, code blocks, executable steps with expectations, and links.
// It works on the same mdast tree react-markdown renders, so line numbers match the viewer.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import type { Nodes, Parents, Root } from 'mdast';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { parseExpectation, parseFenceAttrs } from './expect';
import { parseAnswers } from './findings';
import { reviewFromFrontMatter } from './review';
import { hasScheme, isExternalUrl, isRefusedUrl, posixDirname, posixJoin, slugify, splitHref } from './paths';
import {
  RUNBOOK_CATEGORIES,
  SECTION_NAMES,
  SEVERITIES,
  SHELL_LANGUAGES,
  type CodeBlock,
  type Heading,
  type ListInfo,
  type ParsedRunbook,
  type ParseProblem,
  type RunbookCategory,
  type RunbookLink,
  type RunbookMeta,
  type Section,
  type SectionName,
  type Severity,
  type Step,
} from './types';
import { fillVariables, variablesIn } from './variables';
import { parseStepIo } from './inputs';
import { parseRequires } from './preconditions';

/** Front matter longer than this is not front matter but a document that starts with a rule. */
const MAX_FRONT_MATTER_LINES = 200;
/** Symptoms inferred from the Symptoms section's list; more than this is a body, not a summary. */
const MAX_INFERRED_SYMPTOMS = 20;
/** Bold key/value lines are looked for in the first lines and the last lines (a footer). */
const META_SCAN_HEAD_LINES = 80;
const META_SCAN_TAIL_LINES = 30;
/** Parsing costs ~5 µs a character; a runbook is tens of KB, so anything past this is cut off
 *  (with an error) rather than freezing the library for seconds. */
export const MAX_PARSE_CHARS = 256 * 1024;

export interface ParseOptions {
  /** Path of the file, posix, relative to its library folder (used for links and messages). */
  file: string;
  /** Values for {{variables}} in steps (from the attached install); none fills nothing. */
  variables?: Record<string, string>;
}

const INDEX_NAMES = new Set(['readme.md', 'index.md']);

export function isIndexFile(file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
  return INDEX_NAMES.has(base);
}

function emptyMeta(): RunbookMeta {
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

function splitFrontMatter(text: string, problems: ParseProblem[]): FrontMatter {
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

function applyFrontMatter(meta: RunbookMeta, data: Record<string, unknown>, problems: ParseProblem[]): void {
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
function inferFromBoldLines(meta: RunbookMeta, body: string): void {
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

/** "## 3. Diagnosis", "## Diagnosis:", "### Diagnostic Steps" -> Diagnosis. */
export function sectionNameOf(headingText: string): SectionName | null {
  const t = headingText
    .trim()
    .replace(/^(?:step\s+)?\d+(?:\.\d+)*[.):]?\s+/i, '')
    .replace(/[:.]\s*$/, '')
    .toLowerCase();
  for (const name of SECTION_NAMES) {
    const n = name.toLowerCase();
    if (t === n || t.startsWith(`${n} `) || t.startsWith(`${n}:`) || t.startsWith(`${n} &`)) return name;
  }
  if (/^diagnostics?\b/.test(t)) return 'Diagnosis';
  if (/^symptom\b/.test(t)) return 'Symptoms';
  if (/^reference\b/.test(t)) return 'References';
  return null;
}

/** For a `console` block, the commands are the `$ `-prompted lines; other blocks run as written. */
function commandText(lang: string, code: string): string {
  if (lang !== 'console') return code;
  const prompted = code.split('\n').filter((l) => /^\s*\$\s/.test(l));
  return prompted.length > 0 ? prompted.map((l) => l.replace(/^\s*\$\s/, '')).join('\n') : code;
}

function classifyLink(href: string, file: string): Pick<RunbookLink, 'kind' | 'target' | 'fragment'> {
  if (isRefusedUrl(href)) return { kind: 'refused', target: null, fragment: null };
  if (isExternalUrl(href)) return { kind: 'external', target: null, fragment: null };
  if (href.startsWith('#')) return { kind: 'anchor', target: null, fragment: href.slice(1) || null };
  if (hasScheme(href) || href.startsWith('//')) return { kind: 'other', target: null, fragment: null };
  const { path, fragment } = splitHref(href);
  if (/\.md$/i.test(path)) {
    const target = path.startsWith('/') ? posixJoin(path.slice(1)) : posixJoin(posixDirname(file), path);
    return { kind: 'runbook', target, fragment };
  }
  return { kind: 'other', target: null, fragment: null };
}

export function parseRunbook(source: string, options: ParseOptions): ParsedRunbook {
  const file = options.file;
  const problems: ParseProblem[] = [];
  let text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.length > MAX_PARSE_CHARS) {
    const cut = text.lastIndexOf('\n', MAX_PARSE_CHARS);
    text = text.slice(0, cut > 0 ? cut : MAX_PARSE_CHARS);
    const kb = Math.round(source.length / 1024);
    problems.push({
      line: text.split('\n').length,
      severity: 'error',
      rule: 'too-large',
      message: `The file is ${kb} KB; only the first ${MAX_PARSE_CHARS / 1024} KB are read. Split it into smaller runbooks.`,
    });
  }
  const meta = emptyMeta();

  const fm = splitFrontMatter(text, problems);
  if (fm.data) applyFrontMatter(meta, fm.data, problems);
  const offset = fm.lines;
  const body = offset > 0 ? text.split('\n').slice(offset).join('\n') : text;
  const lineCount = text.length === 0 ? 0 : text.split('\n').length;

  const tree: Root = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const lineOf = (n: Nodes): number => (n.position?.start.line ?? 1) + offset;
  const endLineOf = (n: Nodes): number => (n.position?.end.line ?? 1) + offset;

  const headings: Heading[] = [];
  const slugCounts = new Map<string, number>();
  const codeNodes: { node: Extract<Nodes, { type: 'code' }> }[] = [];
  const links: RunbookLink[] = [];
  const lists: ListInfo[] = [];
  let htmlReported = 0;

  const visit = (node: Nodes): void => {
    switch (node.type) {
      case 'heading': {
        const textOf = toString(node).trim();
        const base = slugify(textOf);
        const n = slugCounts.get(base) ?? 0;
        slugCounts.set(base, n + 1);
        headings.push({
          depth: node.depth,
          text: textOf,
          line: lineOf(node),
          slug: n === 0 ? base : `${base}-${n}`,
        });
        break;
      }
      case 'code':
        codeNodes.push({ node });
        return;
      case 'list':
        lists.push({
          line: lineOf(node),
          ordered: node.ordered === true,
          items: node.children.map((item) => toString(item.children[0] ?? item).trim()),
        });
        break;
      case 'html':
        if (htmlReported++ === 0) {
          problems.push({
            line: lineOf(node),
            severity: 'info',
            rule: 'raw-html',
            message: 'Raw HTML is never rendered (the viewer drops it): use Markdown instead.',
          });
        }
        return;
      case 'link':
      case 'definition': {
        const href = node.url;
        const kind = classifyLink(href, file);
        links.push({
          href,
          text: node.type === 'link' ? toString(node) : (node.label ?? node.identifier),
          line: lineOf(node),
          ...kind,
        });
        if (kind.kind === 'refused') {
          problems.push({
            line: lineOf(node),
            severity: 'warning',
            rule: 'unsafe-link',
            message: `Link "${href.slice(0, 60)}" uses a refused scheme and is not followed: link to a runbook or an http(s) page.`,
          });
        }
        break;
      }
      default:
        break;
    }
    if ('children' in node) for (const child of (node as Parents).children) visit(child as Nodes);
  };
  visit(tree);

  // Sections: the first heading (below the title) that names each of the six.
  const sections: Section[] = [];
  const seen = new Set<SectionName>();
  headings.forEach((h, i) => {
    if (h.depth === 1 && headings.filter((x) => x.depth === 1).length === 1) return;
    const name = sectionNameOf(h.text);
    if (!name || seen.has(name)) return;
    seen.add(name);
    const next = headings.slice(i + 1).find((x) => x.depth <= h.depth);
    sections.push({
      name,
      heading: h.text,
      slug: h.slug,
      line: h.line,
      endLine: next ? next.line - 1 : Math.max(lineCount, h.line),
      depth: h.depth,
    });
  });
  const sectionAt = (line: number): SectionName | null =>
    sections.find((s) => line >= s.line && line <= s.endLine)?.name ?? null;

  // Title: front matter, else the first level-1 heading, else the first heading.
  if (!meta.title) {
    // A section heading ("Overview") is never a title.
    const h = headings.find((x) => x.depth === 1) ?? headings.find((x) => sectionNameOf(x.text) === null);
    if (h && h.text) {
      meta.title = h.text;
      meta.sources.title = 'inferred';
    }
  }
  inferFromBoldLines(meta, body);

  // Markdown processes backslash escapes in a fence's info string (`\"` becomes `"`), which would
  // change an expectation's regex; attributes are read from the fence line as written instead.
  const bodyLines = body.split('\n');
  const rawMeta = (node: { meta?: string | null; position?: { start: { line: number } } }): string | null => {
    const src = node.position ? bodyLines[node.position.start.line - 1] : undefined;
    const m = src === undefined ? null : /^\s*(?:>\s*)*(?:`{3,}|~{3,})\s*[^\s{]*\s*(.*)$/.exec(src);
    return m ? m[1]!.trim() || null : (node.meta ?? null);
  };
  const codeBlocks: CodeBlock[] = codeNodes.map(({ node }, index) => {
    const lang = node.lang ? node.lang.toLowerCase() : null;
    const line = lineOf(node);
    const meta = rawMeta(node);
    return {
      index,
      lang,
      attrs: parseFenceAttrs(meta),
      meta,
      code: node.value,
      line,
      endLine: endLineOf(node),
      section: sectionAt(line),
      executable: lang !== null && (SHELL_LANGUAGES as readonly string[]).includes(lang),
    };
  });

  // Symptoms inferred from the Symptoms section's top-level list items.
  if (meta.symptoms.length === 0) {
    const sym = sections.find((s) => s.name === 'Symptoms');
    if (sym) {
      const items: string[] = [];
      for (const child of tree.children) {
        if (child.type !== 'list') continue;
        const l = lineOf(child);
        if (l < sym.line || l > sym.endLine) continue;
        for (const item of child.children) {
          const t = toString(item.children[0] ?? item).trim();
          if (t && items.length < MAX_INFERRED_SYMPTOMS) items.push(t);
        }
      }
      if (items.length > 0) {
        meta.symptoms = items;
        meta.sources.symptoms = 'inferred';
      }
    }
  }
  for (const k of ['title', 'category', 'severity', 'estimatedTime', 'symptoms', 'lastReviewed'] as const) {
    meta.sources[k] ??= 'none';
  }

  const vars = options.variables ?? {};
  const steps: Step[] = [];
  for (const block of codeBlocks) {
    if (!block.executable || block.lang === null) continue;
    const code = commandText(block.lang, block.code);
    const { expect, error } = parseExpectation(block.attrs);
    const { filled, missing, quoted, refused } = fillVariables(code, vars);
    const name = block.attrs.name && /^[\w.-]{1,80}$/.test(block.attrs.name) ? block.attrs.name : null;
    if (error)
      problems.push({ line: block.line, severity: 'error', rule: 'step-expect', message: `${error}.` });
    const declared = parseAnswers(block.attrs, expect, block.meta);
    for (const e of declared.errors)
      problems.push({ line: block.line, severity: 'error', rule: 'step-answer', message: `${e}.` });
    const list = (names: string[]) => names.map((v) => `{{${v}}}`).join(', ');
    if (quoted.length > 0) {
      problems.push({
        line: block.line,
        severity: 'warning',
        rule: 'step-variable-quoted',
        message: `${list(quoted)} is written inside quotes, backticks or a here-document: write it bare (the console shell-quotes every value it fills), e.g. sqlite3 -readonly {{dbPath}} or {{logsDir}}/errors-{{today}}.log.`,
      });
    }
    if (refused.length > 0) {
      problems.push({
        line: block.line,
        severity: 'error',
        rule: 'step-variable-unsafe',
        message: `The install's ${list(refused)} holds characters that cannot be filled safely where the step puts it (backticks, a here-document, arithmetic, [[ ]], \${...}, or the arguments of eval, sh -c, ssh, let, read, printf -v ...): there the shell reads even a quoted value as code. Pass it as a plain argument instead; the step is not filled.`,
      });
    }
    steps.push({
      id: name ?? `step-${steps.length + 1}`,
      name,
      blockIndex: block.index,
      lang: block.lang,
      line: block.line,
      section: block.section,
      code,
      filled,
      variables: variablesIn(code),
      missingVariables: options.variables ? [...missing, ...refused] : variablesIn(code),
      expect,
      expectError: error,
      answers: declared.answers,
      answerErrors: declared.errors,
      scenarioAnswers: declared.scenarios,
    });
    // Inputs, output and preconditions (inputs.ts, preconditions.ts); an input is not an install variable.
    const io = parseStepIo(block.attrs, code);
    const req = parseRequires(block.attrs.requires);
    for (const p of io.problems) problems.push({ line: block.line, ...p });
    for (const message of req.problems)
      problems.push({ line: block.line, severity: 'error', rule: 'step-requires', message });
    const added = steps[steps.length - 1];
    const inputNames = new Set(io.inputs.map((i) => i.name));
    Object.assign(added, {
      inputs: io.inputs,
      output: io.output,
      requires: req.requires,
      missingVariables: added.missingVariables.filter((v) => !inputNames.has(v)),
    });
  }
  const earlier = new Map(steps.map((s, k) => [s.id, k]));
  steps.forEach((s, k) => {
    for (const p of s.requires ?? []) {
      if (p.kind !== 'step-ok') continue;
      const at = earlier.get(p.step);
      if (at === undefined || at >= k)
        problems.push({
          line: s.line,
          severity: 'error',
          rule: 'step-requires',
          message: `requires step:${p.step} must name an earlier step of this runbook.`,
        });
    }
    for (const i of s.inputs ?? []) {
      if (!i.from) continue;
      const at = earlier.get(i.from.step);
      if (at === undefined || at >= k || steps[at].output?.name !== i.from.output)
        problems.push({
          line: s.line,
          severity: 'error',
          rule: 'step-input',
          message: `input-${i.name}-from="${i.from.step}.${i.from.output}" must name the output of an earlier step of this runbook.`,
        });
    }
  });
  const ids = new Set<string>();
  for (const s of steps) {
    if (ids.has(s.id))
      problems.push({
        line: s.line,
        severity: 'error',
        rule: 'step-name',
        message: `Step name "${s.id}" is used twice: give each step its own name.`,
      });
    ids.add(s.id);
  }

  return {
    file,
    kind: isIndexFile(file) ? 'index' : 'runbook',
    meta,
    body,
    bodyLineOffset: offset,
    headings,
    sections,
    codeBlocks,
    steps,
    links,
    lists,
    problems,
    lineCount,
    review: reviewFromFrontMatter(fm.data),
  };
}
