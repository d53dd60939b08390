// Domain types of a parsed runbook: front matter, the six sections, code blocks and executable
// steps with their expectations. Shared by the parser, lint, the library service and the viewer.
import type { Answer } from './findings';

import type { ReviewMeta } from './review-status';

export const RUNBOOK_CATEGORIES = ['System Operations', 'Incident Response', 'Maintenance'] as const;
export type RunbookCategory = (typeof RUNBOOK_CATEGORIES)[number];

export const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The handbook's six sections, in order. */
export const SECTION_NAMES = [
  'Overview',
  'Symptoms',
  'Diagnosis',
  'Resolution',
  'Prevention',
  'References',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

/** Fence languages whose blocks are executable steps (run in the terminal). */
export const SHELL_LANGUAGES = ['bash', 'sh', 'shell', 'console', 'zsh'] as const;

/** Where a value came from: YAML front matter, a bold key/value line, or a heading. */
export type MetaSource = 'front-matter' | 'inferred' | 'none';

export interface RunbookMeta {
  title: string | null;
  category: RunbookCategory | null;
  severity: Severity | null;
  estimatedTime: string | null;
  symptoms: string[];
  tags: string[];
  owner: string | null;
  /** ISO date yyyy-mm-dd, from `lastReviewed` or a `**Last Updated**:` / `**Last Reviewed**:` line. */
  lastReviewed: string | null;
  /** Per field, where the value came from. */
  sources: Partial<
    Record<'title' | 'category' | 'severity' | 'estimatedTime' | 'symptoms' | 'lastReviewed', MetaSource>
  >;
}

export interface Heading {
  depth: number;
  text: string;
  line: number;
  /** Slug usable as an anchor id (GitHub-style, de-duplicated). */
  slug: string;
}

export interface Section {
  name: SectionName;
  /** The heading text as written, e.g. "3. Diagnosis". */
  heading: string;
  slug: string;
  line: number;
  /** Last line of the section (inclusive). */
  endLine: number;
  depth: number;
}

export interface CodeBlock {
  /** Index among all code blocks of the document, in order. */
  index: number;
  /** Language (first word of the info string), lower-cased; null when the fence has none. */
  lang: string | null;
  /** Attributes from the info string's `{key="value" ...}` part. */
  attrs: Record<string, string>;
  /** Raw info-string meta (everything after the language). */
  meta: string | null;
  code: string;
  /** Line of the opening fence (1-based, in the whole file incl. front matter). */
  line: number;
  endLine: number;
  /** Section the block belongs to, if any. */
  section: SectionName | null;
  executable: boolean;
}

/** What a step's output must look like. */
export interface Expectation {
  /** The regex source and flags, as written in `expect="/src/flags"`. */
  pattern: string;
  flags: string;
  /** Expected exit code; defaults to 0 when a step declares an expectation. */
  exitCode: number;
}

export interface Step {
  /** Stable id within the document: the `name` attribute, or `step-<n>` (1-based among steps). */
  id: string;
  name: string | null;
  blockIndex: number;
  lang: string;
  line: number;
  section: SectionName | null;
  /** The command text as written, with {{variables}}. */
  code: string;
  /** The command with install variables filled; equal to `code` when no install is known. */
  filled: string;
  /** Variables used by the block. */
  variables: string[];
  /** Variables the attached install could not fill (left as {{name}} in `filled`). */
  missingVariables: string[];
  expect: Expectation | null;
  /** A problem with the expectation attribute (bad regex), shown instead of running a check. */
  expectError: string | null;
  /** The declared answers (ok / warn-* / finding-*, or expect/exit as the healthy one), in precedence order of declaration. */
  answers: Answer[];
  /** Problems with the answer attributes; a step with any is not checked. */
  answerErrors: string[];
  /** `scenarios="api-down:api-not-listening"`: the answer each sandbox scenario must give. */
  scenarioAnswers: Record<string, string>;
  /** Values the operator gives before Run (`input-NAME="text"`), filled shell-quoted like install variables. */
  inputs?: StepInput[];
  /** The value this step gives later steps (`output="NAME"`). */
  output?: StepOutput | null;
  /** What must hold before Run (`requires="backup, api-stopped"`); not met blocks Run until overridden. */
  requires?: Precondition[];
}

export type StepInputType = 'text' | 'integer' | 'path';

export interface StepInput {
  name: string;
  type: StepInputType;
  label: string | null;
  pattern: { source: string; flags: string } | null;
  default: string | null;
  /** An earlier step's named output that fills it when there is one. */
  from: { step: string; output: string } | null;
}

export interface StepOutput {
  name: string;
  /** Its first capture group (or whole match) is the value; without, the whole trimmed output. */
  match: { source: string; flags: string } | null;
}

export type Precondition =
  | { kind: 'maintenance-window' }
  | { kind: 'backup' }
  | { kind: 'api-stopped' }
  | { kind: 'step-ok'; step: string };

export interface RunbookLink {
  href: string;
  text: string;
  line: number;
  kind: 'runbook' | 'anchor' | 'external' | 'other' | 'refused';
  /** For kind 'runbook': the resolved path (posix, relative to the library folder root). */
  target: string | null;
  /** For kind 'runbook' or 'anchor': the fragment without '#'. */
  fragment: string | null;
}

export interface ListInfo {
  line: number;
  ordered: boolean;
  /** Text of each item's first paragraph. */
  items: string[];
}

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface ParseProblem {
  line: number;
  severity: ProblemSeverity;
  rule: string;
  message: string;
}

export interface ParsedRunbook {
  /** Path as given to the parser (posix, relative to its folder root). */
  file: string;
  /** 'index' for a folder's README.md / index.md (the handbook home); else 'runbook'. */
  kind: 'runbook' | 'index';
  meta: RunbookMeta;
  /** Markdown body without the front matter (what the viewer renders). */
  body: string;
  /** Lines of front matter before `body` (add to a body line to get a file line). */
  bodyLineOffset: number;
  headings: Heading[];
  sections: Section[];
  codeBlocks: CodeBlock[];
  steps: Step[];
  links: RunbookLink[];
  lists: ListInfo[];
  problems: ParseProblem[];
  lineCount: number;
  /** The review workflow's front matter (status, reviewers, test evidence); see review.ts. */
  review?: ReviewMeta;
}

export interface LintProblem {
  file: string;
  line: number;
  severity: ProblemSeverity;
  rule: string;
  message: string;
}
