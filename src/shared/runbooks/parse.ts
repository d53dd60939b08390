// The runbook parser (pure): the document's structure (headings, the six sections, code blocks,
// lists, links) from the same mdast tree react-markdown renders, so line numbers match the viewer.
// Metadata comes from metadata.ts, executable steps from steps.ts.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';
import type { Nodes, Parents, Root } from 'mdast';
import { parseFenceAttrs } from './expect';
import { applyFrontMatter, emptyMeta, inferFromBoldLines, splitFrontMatter } from './metadata';
import { reviewFromFrontMatter } from './review';
import { hasScheme, isExternalUrl, isRefusedUrl, posixDirname, posixJoin, slugify, splitHref } from './paths';
import { stepsOf } from './steps';
import {
  SECTION_NAMES,
  SHELL_LANGUAGES,
  type CodeBlock,
  type Heading,
  type ListInfo,
  type ParsedRunbook,
  type ParseProblem,
  type RunbookLink,
  type Section,
  type SectionName,
} from './types';

/** Symptoms inferred from the Symptoms section's list; more than this is a body, not a summary. */
const MAX_INFERRED_SYMPTOMS = 20;
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

  const steps = stepsOf(codeBlocks, options.variables, problems);

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
