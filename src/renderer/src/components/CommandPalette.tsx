// The command palette (Ctrl+K, Ctrl+Shift+P): type to find a runbook, an action, a scenario, a log,
// a session or an install; ↑/↓ choose, Enter runs, Esc closes. Runbook bodies are searched too.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { KIND_LABEL, kindBoost, type PaletteEntry } from './palette-entries';
import { rank } from './palette-match';
import './palette.css';

/** Rows drawn at most; a narrower query finds the rest. */
const MAX_ROWS = 60;
/** Wait this long after the last keystroke before asking the runbook index (one request per pause). */
const TEXT_SEARCH_DEBOUNCE_MS = 120;
/** A runbook found only in its body ranks below any title, keyword or symptom match. */
const TEXT_HIT_SCORE = 0.2;
/** The longest query taken (the runbook search takes 200 characters). */
const MAX_QUERY_CHARS = 200;

export interface TextHit {
  /** The palette entry id it points to. */
  entryId: string;
  snippet: string;
}

interface Props {
  entries: PaletteEntry[];
  /** Things the palette could not load (runbooks, sessions, …), shown so nothing is silently missing. */
  problems: string[];
  /** Full-text search of runbook bodies; resolves to the entries it found. */
  textSearch?: (q: string) => Promise<TextHit[]>;
  onClose: () => void;
}

export default function CommandPalette({ entries, problems, textSearch, onClose }: Props) {
  const [q, setQ] = useState('');
  const [sel, setSel] = useState(0);
  const [hits, setHits] = useState<{ q: string; hits: TextHit[] }>({ q: '', hits: [] });
  const [searchError, setSearchError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const listId = useId();
  useEffect(() => input.current?.focus(), []);

  useEffect(() => {
    const query = q.trim();
    if (!textSearch || !query) return;
    let live = true;
    const t = setTimeout(() => {
      textSearch(query).then(
        (h) => {
          if (!live) return;
          setHits({ q: query, hits: h });
          setSearchError(null);
        },
        (err: unknown) =>
          live &&
          setSearchError(`Runbook text search failed: ${err instanceof Error ? err.message : String(err)}`),
      );
    }, TEXT_SEARCH_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q, textSearch]);

  const shown = useMemo(() => {
    const ranked = rank(q, entries, kindBoost);
    const query = q.trim();
    if (query && hits.q === query) {
      const present = new Set(ranked.map((r) => r.item.id));
      for (const h of hits.hits) {
        const e = entries.find((x) => x.id === h.entryId);
        if (e && !present.has(e.id))
          ranked.push({ item: { ...e, detail: h.snippet }, score: TEXT_HIT_SCORE });
      }
    }
    return ranked.slice(0, MAX_ROWS).map((r) => r.item);
  }, [q, entries, hits]);

  const cur = Math.min(sel, Math.max(shown.length - 1, 0));
  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [cur, shown]);

  const choose = (e: PaletteEntry | undefined) => {
    if (!e) return;
    onClose();
    e.run();
  };
  const optionId = (i: number) => `${listId}-opt-${i}`;

  return (
    <div className="palette-backdrop" onClick={onClose}>
      <div
        className="palette"
        role="dialog"
        aria-label="Command palette"
        onClick={(e) => e.stopPropagation()}
      >
        <input
          ref={input}
          value={q}
          maxLength={MAX_QUERY_CHARS}
          placeholder="Find a runbook, an action, a log, a session…"
          aria-label="Command"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={shown.length ? optionId(cur) : undefined}
          onChange={(e) => {
            setQ(e.target.value);
            setSel(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              onClose();
            } else if (e.key === 'ArrowDown') {
              e.preventDefault();
              setSel(Math.min(cur + 1, shown.length - 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setSel(Math.max(cur - 1, 0));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(shown[cur]);
            }
          }}
        />
        <ul role="listbox" id={listId} ref={list} aria-label="Results">
          {shown.map((c, i) => (
            <li
              key={c.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === cur}
              data-kind={c.kind}
              onMouseMove={() => i !== cur && setSel(i)}
              onClick={() => choose(c)}
            >
              <span className="palette-main">
                <span className="palette-title">{c.title}</span>
                {c.detail && <span className="palette-detail dim">{c.detail}</span>}
              </span>
              {c.shortcut && <kbd className="palette-shortcut">{c.shortcut}</kbd>}
              <span className={`palette-kind kind-${c.kind}`}>{KIND_LABEL[c.kind]}</span>
            </li>
          ))}
          {shown.length === 0 && <li className="dim palette-empty">Nothing matches “{q.trim()}”</li>}
        </ul>
        {(problems.length > 0 || searchError) && (
          <div className="palette-problems" role="status">
            {[...problems, ...(searchError ? [searchError] : [])].map((p) => (
              <div key={p}>{p}</div>
            ))}
          </div>
        )}
        <div className="palette-foot dim">
          <span>
            <kbd>↑</kbd> <kbd>↓</kbd> choose · <kbd>Enter</kbd> run · <kbd>Esc</kbd> close
          </span>
          <span>{shown.length} shown</span>
        </div>
      </div>
    </div>
  );
}
