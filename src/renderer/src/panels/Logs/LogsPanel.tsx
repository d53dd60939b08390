// Live log tail panes side by side or stacked (default: the main log and the errors log), with a
// correlation id filter shared by every pane and a picker for the install's other log families.
import { useEffect, useRef, useState } from 'react';
import { LOG_ROOT_CONFIRM_DETAIL, type LogSources, type PaneInfo } from '../../../../shared/contract/logs';
import type { BundleVerifyStatus } from '../../../../shared/contract/install';
import { logRequests } from '../../state/ui-bus';
import { api, ApiError } from '../../transport';
import LogPane from './LogPane';
import './logs.css';

/** Families opened when the panel first shows (the main log and the errors log). */
const DEFAULT_FAMILIES = ['aura-api', 'errors'];

function errText(e: unknown): string {
  return e instanceof ApiError ? `${e.message}${e.detail ? ` (${e.detail})` : ''}` : String(e);
}

/**
 * Adds a folder panes may read. Outside the install's folders and home the host asks for the
 * folder's full path typed out; system folders it refuses (root-policy.ts on the main side).
 */
function AddRootForm({ onAdded, onClose }: { onAdded: (s: LogSources) => void; onClose: () => void }) {
  const [folder, setFolder] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState('');
  const submit = async (confirm?: string) => {
    try {
      onAdded(
        await api.invoke(
          'logs:add-root',
          confirm === undefined ? { path: folder } : { path: folder, confirm },
        ),
      );
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.detail === LOG_ROOT_CONFIRM_DETAIL) {
        setAsked(e.message);
        setError(confirm === undefined ? '' : 'That is not the full path of the folder.');
      } else {
        setAsked(null);
        setError(errText(e));
      }
    }
  };
  return (
    <div className="logs-add-root" data-testid="logs-add-root">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(null);
          setTyped('');
          if (folder) void submit();
        }}
      >
        <input
          placeholder="a folder that holds log files"
          value={folder}
          onChange={(e) => {
            setFolder(e.target.value);
            setAsked(null);
          }}
          aria-label="Log folder to add"
        />
        <button type="submit" disabled={!folder}>
          Add folder
        </button>
        <button type="button" className="ghost" onClick={onClose}>
          Cancel
        </button>
      </form>
      {asked ? (
        <form
          data-testid="logs-add-root-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            void submit(typed);
          }}
        >
          <p role="alert">{asked}</p>
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-label="Type the folder's full path to confirm"
          />
          <button type="submit" disabled={!typed}>
            Add it anyway
          </button>
        </form>
      ) : null}
      {error ? <div className="logs-error">{error}</div> : null}
    </div>
  );
}

/** `bundleAsOf`: the attached install is an opened support bundle recorded at this time (ISO). */
export default function LogsPanel({
  active = true,
  bundleAsOf = null,
}: {
  active?: boolean;
  bundleAsOf?: string | null;
}) {
  const [sources, setSources] = useState<LogSources | null>(null);
  const [panes, setPanes] = useState<PaneInfo[]>([]);
  const [layout, setLayout] = useState<'tabs' | 'columns' | 'rows'>('tabs');
  const [correlation, setCorrelation] = useState<string | null>(null);
  const [pick, setPick] = useState('');
  const [pathInput, setPathInput] = useState('');
  const [error, setError] = useState('');
  const [started, setStarted] = useState(false);
  const [adding, setAdding] = useState(false);
  /** In tabs layout, the pane shown; the others stay mounted (and keep following) but hidden. */
  const [shown, setShown] = useState<string | null>(null);

  /** Panes asked for and not open yet (on a bundle: waiting for their file's sha256 to match). */
  const [opening, setOpening] = useState<string[]>([]);
  /** The opened bundle's verification, while a bundle is attached. */
  const [verify, setVerify] = useState<BundleVerifyStatus | null>(null);
  useEffect(() => {
    if (!bundleAsOf) return;
    let live = true;
    api
      .invoke('install:bundle-status', {})
      .then((s) => live && setVerify(s))
      .catch((e: unknown) => setError(errText(e)));
    const off = api.on('install:bundle-verify', setVerify);
    return () => {
      live = false;
      off();
    };
  }, [bundleAsOf]);

  /** Which family each pane was opened for, so the palette shows an open pane instead of a twin. */
  const paneFamily = useRef(new Map<string, string>());
  const open = async (p: { family?: string; path?: string }) => {
    const label = p.family ?? p.path ?? '';
    setOpening((prev) => [...prev, label]);
    try {
      const info = await api.invoke('logs:open-pane', p);
      if (p.family) paneFamily.current.set(info.paneId, p.family);
      setPanes((prev) => [...prev, info]);
      setError('');
      return info;
    } catch (e) {
      setError(errText(e));
      return null;
    } finally {
      setOpening((prev) => {
        const i = prev.indexOf(label);
        return i < 0 ? prev : [...prev.slice(0, i), ...prev.slice(i + 1)];
      });
    }
  };
  const openRef = useRef(open);
  openRef.current = open;
  const panesRef = useRef(panes);
  panesRef.current = panes;
  useEffect(
    () =>
      logRequests.listen(({ family }) => {
        const have = panesRef.current.find((p) => paneFamily.current.get(p.paneId) === family);
        if (have) return setShown(have.paneId);
        void openRef.current({ family }).then((info) => info && setShown(info.paneId));
      }),
    [],
  );

  // A pane that shows a bundled file's checked tail opens the whole file once the bundle is
  // verified, in its place (same tab, same family); the tail's pane is closed.
  const reopening = useRef(new Set<string>());
  useEffect(() => {
    if (verify?.state !== 'verified') return;
    for (const p of panes) {
      const family = paneFamily.current.get(p.paneId);
      if (!p.preview || !family || reopening.current.has(p.paneId)) continue;
      reopening.current.add(p.paneId);
      api
        .invoke('logs:open-pane', { family })
        .then((info) => {
          paneFamily.current.delete(p.paneId);
          paneFamily.current.set(info.paneId, family);
          setPanes((prev) => prev.map((x) => (x.paneId === p.paneId ? info : x)));
          setShown((s) => (s === p.paneId ? info.paneId : s));
          return api.invoke('logs:close-pane', { paneId: p.paneId });
        })
        .catch((e: unknown) => setError(errText(e)))
        .finally(() => reopening.current.delete(p.paneId));
    }
  }, [verify?.state, panes]);

  const refreshSources = async () => {
    try {
      const s = await api.invoke('logs:sources', {});
      setSources(s);
      return s;
    } catch (e) {
      setError(errText(e));
      return null;
    }
  };

  // Open the default panes the first time the panel is shown.
  useEffect(() => {
    if (!active || started) return;
    setStarted(true);
    void (async () => {
      const s = await refreshSources();
      if (!s) return;
      if (!s.logsDir) {
        setError('No Aura install is attached: attach one to see its logs, or open a log file by path.');
        return;
      }
      const present = new Set(s.families.map((f) => f.family));
      const wanted = DEFAULT_FAMILIES.filter((f) => present.has(f));
      // With no files yet, still follow the main log: the pane waits for it to appear.
      for (const f of wanted.length ? wanted : ['aura-api']) await open({ family: f });
    })();
  }, [active, started]);

  // Close the panes on the server when the panel goes away.
  useEffect(
    () => () => {
      setPanes((prev) => {
        for (const p of prev) void api.invoke('logs:close-pane', { paneId: p.paneId }).catch(() => undefined);
        return prev;
      });
    },
    [],
  );

  const close = (paneId: string) => {
    setPanes((prev) => prev.filter((p) => p.paneId !== paneId));
    api.invoke('logs:close-pane', { paneId }).catch((e: unknown) => setError(errText(e)));
  };

  return (
    <div className="logs-panel" data-testid="logs-panel">
      <div className="logs-bar">
        <select
          value={pick}
          onChange={(e) => setPick(e.target.value)}
          onFocus={() => void refreshSources()}
          aria-label="Log family"
        >
          <option value="">Open a log…</option>
          {sources?.families.map((f) => (
            <option key={f.family} value={f.family}>
              {f.label} ({f.files.length})
            </option>
          ))}
        </select>
        <button
          disabled={!pick}
          onClick={() => {
            void open({ family: pick });
            setPick('');
          }}
        >
          Open
        </button>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (pathInput) void open({ path: pathInput });
          }}
        >
          <input
            placeholder="or a file path under the logs folder"
            value={pathInput}
            onChange={(e) => setPathInput(e.target.value)}
            aria-label="Log file path"
          />
        </form>
        <button className="ghost" aria-pressed={adding} onClick={() => setAdding((a) => !a)}>
          Add log folder…
        </button>
        <span className="spacer" />
        {correlation ? (
          <span className="logs-chip">
            all panes: <code>{correlation}</code>{' '}
            <button className="link" onClick={() => setCorrelation(null)}>
              clear
            </button>
          </span>
        ) : null}
        <select
          aria-label="Pane layout"
          value={layout}
          onChange={(e) => setLayout(e.target.value as typeof layout)}
        >
          <option value="tabs">Tabs</option>
          <option value="rows">Stacked</option>
          <option value="columns">Side by side</option>
        </select>
      </div>
      {layout === 'tabs' && panes.length > 0 ? (
        <nav className="logs-tabs" role="tablist" aria-label="Log panes">
          {panes.map((p) => (
            <button
              key={p.paneId}
              role="tab"
              aria-selected={(shown ?? panes[0]!.paneId) === p.paneId}
              onClick={() => setShown(p.paneId)}
            >
              {p.title}
            </button>
          ))}
        </nav>
      ) : null}
      {adding ? <AddRootForm onAdded={setSources} onClose={() => setAdding(false)} /> : null}
      {error ? <div className="logs-error">{error}</div> : null}
      {bundleAsOf && opening.length > 0 && verify?.state === 'verifying' ? (
        <div className="logs-verifying" data-testid="log-pane-verifying" role="status">
          Verifying {verify.current ? <code>{verify.current}</code> : "the bundle's files"} against the
          bundle&apos;s manifest (sha256)… {verify.verifiedFiles} of {verify.totalFiles} files checked. The
          log opens once its own file matched; nothing unchecked is shown.
        </div>
      ) : null}
      <div className={`logs-panes layout-${layout}`}>
        {panes.map((p) => (
          <LogPane
            key={p.paneId}
            info={p}
            bundleAsOf={bundleAsOf}
            hidden={layout === 'tabs' && (shown ?? panes[0]!.paneId) !== p.paneId}
            correlation={correlation}
            onCorrelation={setCorrelation}
            onClose={() => close(p.paneId)}
          />
        ))}
      </div>
    </div>
  );
}
