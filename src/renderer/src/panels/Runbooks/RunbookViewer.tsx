// The runbook viewer: the six sections as an outline, severity/time badges, GFM Markdown without
// raw HTML, highlighted code with Copy / Run / Run & check per shell step, local task-list ticks.
// Safe by construction: no rehype-raw, refused URL schemes, no remote images, no in-app navigation.
import { createContext, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import Markdown, { defaultUrlTransform, type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { RunbookDocument } from '../../../../shared/contract/runbooks';
import type { StepVerdict } from '../../../../shared/contract/walkthroughs-steps';
import { isCheckedStep } from '../../../../shared/runbooks/findings';
import { isExternalUrl, isRefusedUrl } from '../../../../shared/runbooks/paths';
import { SECTION_NAMES, type CodeBlock, type Step } from '../../../../shared/runbooks/types';
import { highlight } from './highlight';
import { StepAnswers, StepVerdictView } from './StepFindings';
import Preconditions from './Preconditions';
import { useStepGate } from './step-gate';
import StepInputs from './StepInputs';

export type RunStepMode = 'copy' | 'run' | 'run-check';

export interface RunbookViewerProps {
  doc: RunbookDocument;
  /** Copy / Run / Run & check of a shell step (the lead wires Run to the terminal), with its input values. */
  onRunStep?: (step: Step, mode: RunStepMode, inputs?: Record<string, string>) => void;
  /** A link to another runbook of the library was followed. */
  onOpenRunbook?: (id: string, fragment: string | null) => void;
  /** An http(s) link was followed; open it outside the app. */
  onOpenExternal?: (url: string) => void;
  /** Results of Run & check, by step id. */
  checks?: Record<string, StepVerdict>;
  /**
   * Task-list state owned by a walk-through session (key `line:<file line>`). When given, ticks go
   * to `onToggleTask` and are never kept in the viewer or written to the file.
   */
  tasks?: Record<string, boolean>;
  onToggleTask?: (key: string, label: string, checked: boolean) => void;
  /** Extra controls in the runbook's header (the walk-through button). */
  headerExtra?: ReactNode;
}

/** The file line of the list item being rendered (a task checkbox's own node has no position). */
const TaskLine = createContext<number | null>(null);

/** The text of a task-list item from its source line ("- [ ] Backup completed" -> "Backup completed"). */
export function taskLabel(body: string, bodyLine: number): string {
  const line = body.split('\n')[bodyLine - 1] ?? '';
  return line.replace(/^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]\s*/, '').trim() || `Item on line ${bodyLine}`;
}

/** Hrefs the renderer may put in the DOM: refused schemes become empty, the rest as react-markdown allows. */
export function safeUrl(url: string): string {
  return isRefusedUrl(url) ? '' : defaultUrlTransform(url);
}

function Highlighted({ code, lang }: { code: string; lang: string | null }) {
  const tokens = useMemo(() => highlight(code, lang), [code, lang]);
  return (
    <>
      {tokens.map((t, i) =>
        t.kind === 'text' ? (
          t.text
        ) : (
          <span key={i} className={`tok-${t.kind}`}>
            {t.text}
          </span>
        ),
      )}
    </>
  );
}

function CodeBlockView({
  block,
  step,
  check,
  onRunStep,
}: {
  block: CodeBlock;
  step: Step | null;
  check: StepVerdict | undefined;
  onRunStep?: (step: Step, mode: RunStepMode, inputs?: Record<string, string>) => void;
}) {
  const [copied, setCopied] = useState(false);
  const gate = useStepGate(step);
  const shown = step ? (gate.command ?? step.filled) : block.code;
  const copy = () => {
    if (!step || gate.command === null) return;
    void navigator.clipboard?.writeText(gate.command).then(() => setCopied(true));
    onRunStep?.(step, 'copy', gate.values);
  };
  const run = (mode: RunStepMode) => {
    if (!step || gate.blocked) return;
    onRunStep?.(step, mode, gate.values);
    gate.ran();
  };
  return (
    <div className={`rb-code${step ? ' rb-step' : ''}`} data-line={block.line} data-step={step?.id}>
      <div className="rb-code-head">
        <span className="rb-lang">{block.lang ?? 'text'}</span>
        {step && <span className="rb-step-id">{step.id}</span>}
        {step && <StepAnswers step={step} />}
        {step?.expectError && <span className="rb-err">{step.expectError}</span>}
        {step && (
          <span className="rb-actions">
            <button type="button" onClick={copy} disabled={gate.command === null}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button
              type="button"
              disabled={!onRunStep || gate.blocked !== null}
              onClick={() => run('run')}
              title={gate.blocked ?? 'Run in the terminal'}
            >
              Run
            </button>
            {isCheckedStep(step) && (
              <button
                type="button"
                disabled={!onRunStep || gate.blocked !== null}
                onClick={() => run('run-check')}
                title={gate.blocked ?? 'Run and answer: OK, a warning or a named finding'}
              >
                Run &amp; check
              </button>
            )}
          </span>
        )}
      </div>
      <pre className="rb-pre">
        <code>
          <Highlighted code={shown} lang={block.lang} />
        </code>
      </pre>
      {step && (
        <StepInputs
          stepId={step.id}
          inputs={step.inputs ?? []}
          values={gate.values}
          errors={gate.errors}
          onChange={gate.setValue}
        />
      )}
      {step && (
        <Preconditions
          stepId={step.id}
          statuses={gate.statuses}
          overridden={gate.overridden}
          onOverride={gate.override}
        />
      )}
      {step && step.missingVariables.length > 0 && (
        <div className="rb-note">
          Not filled: {step.missingVariables.map((v) => `{{${v}}}`).join(', ')} (attach an install to fill
          them; a value that cannot be filled safely where the step uses it is explained under the runbook's
          problems)
        </div>
      )}
      {check && <StepVerdictView verdict={check} testId={`check-${step?.id ?? block.index}`} />}
    </div>
  );
}

export default function RunbookViewer({
  doc,
  onRunStep,
  onOpenRunbook,
  onOpenExternal,
  checks,
  tasks,
  onToggleTask,
  headerExtra,
}: RunbookViewerProps) {
  const [ticks, setTicks] = useState<Record<number, boolean>>({});
  const rootRef = useRef<HTMLDivElement>(null);
  const offset = doc.bodyLineOffset;
  const fileLine = (node: { position?: { start: { line: number } } } | undefined) =>
    (node?.position?.start.line ?? 0) + offset;

  const scrollTo = (slug: string) => {
    const el = rootRef.current?.querySelector(`[id="${CSS.escape(`rb-${slug}`)}"]`);
    el?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  // The Markdown components read the props that change through this ref, so they keep their identity
  // while only the document stays: a new component function is a new component type, and every
  // block under it (a list item with a step, an input being typed in, an override reason being
  // written) would be remounted at each re-render of the console, a health sweep's included.
  const live = useRef({ checks, onRunStep, onOpenRunbook, onOpenExternal, ticks, tasks, onToggleTask });
  live.current = { checks, onRunStep, onOpenRunbook, onOpenExternal, ticks, tasks, onToggleTask };
  const pre = useMemo<NonNullable<Components['pre']>>(
    () =>
      function CodeBlockAt({ node }) {
        const block = doc.codeBlocks.find(
          (b) => b.line === (node?.position?.start.line ?? 0) + doc.bodyLineOffset,
        );
        if (!block) return null;
        const step = doc.steps.find((s) => s.blockIndex === block.index) ?? null;
        const { checks: latest, onRunStep: run } = live.current;
        return (
          <CodeBlockView
            block={block}
            step={step}
            check={step ? latest?.[step.id] : undefined}
            onRunStep={run}
          />
        );
      },
    [doc],
  );

  const components = useMemo<Components>(() => {
    const heading = (Tag: 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6') =>
      function HeadingWithId({
        node,
        children,
      }: {
        node?: { position?: { start: { line: number } } };
        children?: ReactNode;
      }) {
        const h = doc.headings.find((x) => x.line === fileLine(node));
        // The header above already shows the title: a first-level heading that repeats it is dropped.
        if (Tag === 'h1' && h && h.text.trim() === doc.summary.title.trim())
          return <span id={`rb-${h.slug}`} />;
        return <Tag id={h ? `rb-${h.slug}` : undefined}>{children}</Tag>;
      };
    return {
      h1: heading('h1'),
      h2: heading('h2'),
      h3: heading('h3'),
      h4: heading('h4'),
      h5: heading('h5'),
      h6: heading('h6'),
      pre,
      img({ alt, src }) {
        // Images are never loaded: remote ones would leak the operator's IP, local ones have no server.
        return (
          <span
            className="rb-img"
            title={
              typeof src === 'string' && src ? `image not loaded: ${src.slice(0, 200)}` : 'image not loaded'
            }
          >
            {`[image${alt ? `: ${alt}` : ''}]`}
          </span>
        );
      },
      a({ href, children, node }) {
        const raw = typeof href === 'string' ? href : '';
        const line = fileLine(node);
        if (!raw) return <span className="rb-link-refused">{children}</span>;
        if (raw.startsWith('#')) {
          return (
            <a
              href={raw}
              onClick={(e) => {
                e.preventDefault();
                scrollTo(raw.slice(1));
              }}
            >
              {children}
            </a>
          );
        }
        const idx = doc.links.findIndex((l) => l.href === raw && l.line === line);
        const i = idx >= 0 ? idx : doc.links.findIndex((l) => l.href === raw);
        const link = i >= 0 ? doc.links[i] : null;
        if (link?.kind === 'runbook') {
          const target = doc.linkTargets[i];
          if (!target)
            return (
              <span className="rb-link-broken" title="This link does not resolve to a runbook in the library">
                {children}
              </span>
            );
          return (
            <a
              href={`#runbook:${target}`}
              className="rb-link-runbook"
              onClick={(e) => {
                e.preventDefault();
                live.current.onOpenRunbook?.(target, link.fragment);
              }}
            >
              {children}
            </a>
          );
        }
        if (isExternalUrl(raw)) {
          return (
            <a
              href={raw}
              className="rb-link-external"
              rel="noopener noreferrer"
              onClick={(e) => {
                e.preventDefault();
                live.current.onOpenExternal?.(raw);
              }}
            >
              {children}
            </a>
          );
        }
        return (
          <span className="rb-link-other" title={raw}>
            {children}
          </span>
        );
      },
      li({ node, children, className }) {
        // A task item's checkbox carries no source position; its list item does.
        const line = fileLine(node);
        return (
          <TaskLine.Provider value={line}>
            <li className={className}>{children}</li>
          </TaskLine.Provider>
        );
      },
      input: function TaskBox({ node, type, checked }) {
        const itemLine = useContext(TaskLine);
        if (type !== 'checkbox') return null;
        const line = itemLine ?? fileLine(node);
        const { onToggleTask, tasks, ticks } = live.current;
        if (onToggleTask) {
          const key = `line:${line}`;
          const value = tasks?.[key] ?? false;
          const label = taskLabel(doc.body, line - doc.bodyLineOffset);
          return (
            <input
              type="checkbox"
              checked={value}
              aria-label={label}
              onChange={() => onToggleTask(key, label, !value)}
            />
          );
        }
        const value = ticks[line] ?? checked === true;
        return (
          <input
            type="checkbox"
            checked={value}
            onChange={() => setTicks((t) => ({ ...t, [line]: !value }))}
          />
        );
      },
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, pre]);

  const s = doc.summary;
  const problems = doc.lint.filter((p) => p.severity !== 'info');
  return (
    <div className="rb-viewer" ref={rootRef}>
      <header className="rb-head">
        <h1 className="rb-title">{s.title}</h1>
        {headerExtra}
        <div className="rb-badges">
          {s.severity && (
            <span className={`rb-badge rb-sev rb-${s.severity.toLowerCase()}`}>{s.severity}</span>
          )}
          {s.estimatedTime && (
            <span className="rb-badge rb-time" title="Estimated time">
              {s.estimatedTime}
            </span>
          )}
          {s.category && <span className="rb-badge">{s.category}</span>}
          {s.kind === 'runbook' && s.stale && (
            <span className="rb-badge rb-stale" title="Not reviewed within 90 days">
              {s.lastReviewed ? `reviewed ${s.reviewAgeDays} days ago` : 'never reviewed'}
            </span>
          )}
          {problems.length > 0 && <span className="rb-badge rb-lint">{problems.length} lint</span>}
        </div>
        {s.kind === 'runbook' && (
          <nav className="rb-outline" aria-label="Sections">
            {SECTION_NAMES.map((name) => {
              const sec = doc.sections.find((x) => x.name === name);
              return sec ? (
                <button type="button" key={name} onClick={() => scrollTo(sec.slug)}>
                  {name}
                </button>
              ) : (
                <span key={name} className="rb-missing" title="Section missing">
                  {name}
                </span>
              );
            })}
          </nav>
        )}
      </header>
      <article className="rb-body">
        <Markdown remarkPlugins={[remarkGfm]} skipHtml urlTransform={safeUrl} components={components}>
          {doc.body}
        </Markdown>
      </article>
      {doc.lint.length > 0 && (
        <details className="rb-problems">
          <summary>{doc.lint.length} lint message(s)</summary>
          <ul>
            {doc.lint.map((p, i) => (
              <li key={i} className={p.severity}>
                line {p.line}: {p.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
