// The Runbooks panel: the library (search, categories, stale marks, folders, "New runbook") beside
// the viewer. The handbook index is the home page. Step buttons go to the `onRunStep` prop.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type {
  RunbookDocument,
  RunbookLibraryView,
  RunbookSearchHit,
  RunbookSummary,
} from '../../../../shared/contract/runbooks';
import type { StepVerdict } from '../../../../shared/contract/walkthroughs-steps';
import { RUNBOOK_CATEGORIES, type RunbookCategory, type Step } from '../../../../shared/runbooks/types';
import { openRunbookRequests } from '../../state/ui-bus';
import { api, ApiError, openExternal } from '../../transport';
import RunbookViewer, { type RunStepMode } from './RunbookViewer';
import { StatusBadge } from './ReviewStatus';
import './runbooks.css';

/** Wait this long after the last keystroke before searching (one request per pause, not per key). */
const SEARCH_DEBOUNCE_MS = 150;

export interface RunbooksPanelProps {
  active?: boolean;
  onRunStep?: (step: Step, mode: RunStepMode, doc: RunbookDocument, inputs?: Record<string, string>) => void;
  /** Run & check results by step id for the open runbook (filled in by whoever runs steps). */
  checks?: Record<string, StepVerdict>;
  /** Session-owned task-list ticks for the open runbook, and where ticks go (see RunbookViewer). */
  tasks?: Record<string, boolean>;
  onToggleTask?: (doc: RunbookDocument, key: string, label: string, checked: boolean) => void;
  headerExtra?: (doc: RunbookDocument) => ReactNode;
  /** Told which runbook is open, so its owner can start or scope a walk-through. */
  onOpen?: (doc: RunbookDocument | null) => void;
}

function message(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

function Item({
  r,
  selected,
  onOpen,
}: {
  r: RunbookSummary;
  selected: boolean;
  onOpen: (id: string) => void;
}) {
  return (
    <li className={selected ? 'selected' : undefined}>
      <button type="button" onClick={() => onOpen(r.id)} title={r.file}>
        <span className="rb-item-title">{r.title}</span>
        {r.severity && <span className={`rb-badge rb-sev rb-${r.severity.toLowerCase()}`}>{r.severity}</span>}
        {r.stale && (
          <span
            className="rb-badge rb-stale"
            title={r.lastReviewed ? `Last reviewed ${r.lastReviewed}` : 'Never reviewed'}
          >
            stale
          </span>
        )}
        {r.errors > 0 && <span className="rb-badge rb-lint">{r.errors} err</span>}
        {r.reviewStatus && <StatusBadge status={r.reviewStatus} />}
      </button>
    </li>
  );
}

/** Below this width the library and the open runbook are shown one at a time. */
const NARROW_PX = 720;

export default function RunbooksPanel({
  active = true,
  onRunStep,
  checks,
  tasks,
  onToggleTask,
  headerExtra,
  onOpen,
}: RunbooksPanelProps) {
  const [view, setView] = useState<RunbookLibraryView | null>(null);
  const [doc, setDoc] = useState<RunbookDocument | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<RunbookSearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [folderPath, setFolderPath] = useState('');
  const [newTitle, setNewTitle] = useState('');
  const [newCategory, setNewCategory] = useState<RunbookCategory>('Incident Response');
  const [pendingFragment, setPendingFragment] = useState<string | null>(null);

  const loadList = useCallback(async (rescan = false) => {
    try {
      const v = await api.invoke('runbooks:list', { rescan });
      setView(v);
      setOpenId((cur) => cur ?? v.homeId ?? v.runbooks.find((r) => r.kind === 'runbook')?.id ?? null);
    } catch (err) {
      setError(message(err));
    }
  }, []);

  const loadDoc = useCallback(async (id: string) => {
    try {
      setDoc(await api.invoke('runbooks:get', { id }));
      setError(null);
    } catch (err) {
      setError(message(err));
    }
  }, []);

  useEffect(() => {
    if (active) void loadList();
  }, [active, loadList]);
  useEffect(() => {
    if (openId) void loadDoc(openId);
  }, [openId, loadDoc]);
  useEffect(() => {
    onOpen?.(doc);
  }, [doc, onOpen]);
  useEffect(() => {
    const offA = api.on('runbooks:changed', () => {
      void loadList(true);
      if (openId) void loadDoc(openId);
    });
    // Install variables in steps change with the attached install.
    const offB = api.on('install:changed', () => {
      if (openId) void loadDoc(openId);
    });
    return () => {
      offA();
      offB();
    };
  }, [openId, loadList, loadDoc]);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setHits(null);
      return;
    }
    const t = setTimeout(() => {
      api.invoke('runbooks:search', { q, limit: 30 }).then(setHits, (err: unknown) => setError(message(err)));
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query]);

  // After following a link with a #fragment, scroll there once the target has rendered.
  useEffect(() => {
    if (!doc || !pendingFragment) return;
    const el = document.getElementById(`rb-${pendingFragment}`);
    el?.scrollIntoView({ block: 'start' });
    setPendingFragment(null);
  }, [doc, pendingFragment]);

  // Other panels (triage) ask for a runbook by title; find it in the library, else search for it.
  useEffect(
    () =>
      openRunbookRequests.listen((req) => {
        void (async () => {
          setShowLibrary(false);
          if (req.id) return setOpenId(req.id);
          const wanted = (req.title ?? '').trim().toLowerCase();
          if (!wanted) return;
          const v = view ?? (await api.invoke('runbooks:list', {}));
          const hit = v.runbooks.find((r) => r.title.trim().toLowerCase() === wanted);
          if (hit) setOpenId(hit.id);
          else {
            setQuery(req.title ?? '');
            setError(`No runbook titled "${req.title}" in the library: showing the closest matches.`);
          }
        })().catch((err: unknown) => setError(message(err)));
      }),
    [view],
  );

  const groups = useMemo(() => {
    const runbooks = view?.runbooks.filter((r) => r.kind === 'runbook') ?? [];
    const out: { name: string; items: RunbookSummary[] }[] = RUNBOOK_CATEGORIES.map((c) => ({
      name: c,
      items: runbooks.filter((r) => r.category === c),
    }));
    out.push({ name: 'Uncategorized', items: runbooks.filter((r) => r.category === null) });
    return out.filter((g) => g.items.length > 0);
  }, [view]);

  const addFolder = async () => {
    try {
      setView(await api.invoke('runbooks:add-folder', { path: folderPath }));
      setFolderPath('');
      setError(null);
    } catch (err) {
      setError(message(err));
    }
  };

  const createRunbook = async () => {
    const folder = view?.folders.find((f) => !f.bundled) ?? view?.folders[0];
    if (!folder) {
      setError('Add a runbook folder first: new runbooks are written into one.');
      return;
    }
    try {
      const { id } = await api.invoke('runbooks:new', {
        folderId: folder.id,
        title: newTitle,
        category: newCategory,
      });
      setNewTitle('');
      await loadList(true);
      setOpenId(id);
    } catch (err) {
      setError(message(err));
    }
  };

  const open = (id: string) => {
    setShowLibrary(false);
    if (id === openId && doc?.id === id) return;
    setOpenId(id);
  };

  // In a narrow column the library and the viewer take turns instead of squeezing side by side.
  const rootRef = useRef<HTMLDivElement>(null);
  const [narrow, setNarrow] = useState(false);
  // The library shows first; opening a runbook (a click, a link, a triage request) turns to it.
  const [showLibrary, setShowLibrary] = useState(true);
  useEffect(() => {
    const el = rootRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setNarrow(el.clientWidth < NARROW_PX));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const libraryHidden = narrow && doc !== null && !showLibrary;

  return (
    <div className={`runbooks-panel${narrow ? ' narrow' : ''}`} ref={rootRef}>
      <aside className="rb-library" hidden={libraryHidden}>
        <input
          className="rb-search"
          type="search"
          placeholder="Search runbooks, symptoms…"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="Search runbooks"
        />
        {error && (
          <div className="rb-error" role="alert">
            {error}{' '}
            <button type="button" onClick={() => setError(null)}>
              ×
            </button>
          </div>
        )}
        {hits ? (
          <ul className="rb-list">
            {hits.length === 0 && <li className="rb-dim">No runbook matches "{query}".</li>}
            {hits.map((h) => (
              <li key={h.id} className={h.id === openId ? 'selected' : undefined}>
                <button type="button" onClick={() => open(h.id)}>
                  <span className="rb-item-title">{h.summary.title}</span>
                  <span className="rb-snippet">{h.snippet}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <>
            {view?.homeId && (
              <ul className="rb-list">
                <Item
                  r={view.runbooks.find((r) => r.id === view.homeId)!}
                  selected={openId === view.homeId}
                  onOpen={open}
                />
              </ul>
            )}
            {groups.map((g) => (
              <section key={g.name}>
                <h4>{g.name}</h4>
                <ul className="rb-list">
                  {g.items.map((r) => (
                    <Item key={r.id} r={r} selected={r.id === openId} onOpen={open} />
                  ))}
                </ul>
              </section>
            ))}
            {view && view.runbooks.length === 0 && (
              <p className="rb-dim">No runbooks yet: add a folder below.</p>
            )}
          </>
        )}
        <details className="rb-manage">
          <summary>Folders and new runbook</summary>
          <ul className="rb-folders">
            {view?.folders.map((f) => (
              <li key={f.id} title={f.skipped.join('\n')}>
                <span className="mono">{f.path}</span> <span className="rb-dim">({f.count})</span>
                {f.error && <div className="rb-err">{f.error}</div>}
                {!f.bundled && (
                  <button
                    type="button"
                    onClick={() =>
                      api
                        .invoke('runbooks:remove-folder', { id: f.id })
                        .then(setView, (e: unknown) => setError(message(e)))
                    }
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
          <div className="rb-row">
            <input
              placeholder="/path/to/runbooks"
              value={folderPath}
              onChange={(e) => setFolderPath(e.target.value)}
              aria-label="Folder path"
            />
            <button type="button" disabled={!folderPath.trim()} onClick={() => void addFolder()}>
              Add folder
            </button>
          </div>
          <div className="rb-row">
            <input
              placeholder="New runbook title"
              value={newTitle}
              onChange={(e) => setNewTitle(e.target.value)}
              aria-label="New runbook title"
            />
            <select
              value={newCategory}
              onChange={(e) => setNewCategory(e.target.value as RunbookCategory)}
              aria-label="Category"
            >
              {RUNBOOK_CATEGORIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            <button type="button" disabled={newTitle.trim().length < 4} onClick={() => void createRunbook()}>
              New
            </button>
          </div>
        </details>
      </aside>
      <main className="rb-main" hidden={narrow && !libraryHidden && doc !== null}>
        {narrow && doc && (
          <button className="rb-back" onClick={() => setShowLibrary(true)}>
            ← Library
          </button>
        )}
        {doc ? (
          <RunbookViewer
            doc={doc}
            checks={checks}
            tasks={tasks}
            onToggleTask={
              onToggleTask ? (key, label, checked) => onToggleTask(doc, key, label, checked) : undefined
            }
            headerExtra={headerExtra?.(doc)}
            onRunStep={onRunStep ? (step, mode, inputs) => onRunStep(step, mode, doc, inputs) : undefined}
            onOpenRunbook={(id, fragment) => {
              setPendingFragment(fragment);
              open(id);
            }}
            onOpenExternal={(url) => void openExternal(url).catch((err: unknown) => setError(message(err)))}
          />
        ) : (
          <p className="rb-dim rb-empty">{view ? 'Choose a runbook.' : 'Loading the runbook library…'}</p>
        )}
      </main>
    </div>
  );
}
