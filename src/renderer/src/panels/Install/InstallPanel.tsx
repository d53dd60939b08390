// The attached Aura install: its paths and what exists at each, what is missing and what to do,
// the other candidates found, adding an install by hand and overriding single paths.
import { useState } from 'react';
import type { InstallList } from '../../../../shared/contract/install';
import type { InstallCandidate, PathFact } from '../../../../shared/install-types';
import { formatBytes } from '../../format';
import { isAvailable } from '../../state/installs';
import { api, ApiError } from '../../transport';
import DemoControls from './DemoControls';
import './install.css';

interface Props {
  list: InstallList | null;
  onChange: (list: InstallList) => void;
}

/** The right-hand cell of a fact: whether it is there, and how big. */
function FactValue({ fact, optional, unit }: { fact: PathFact; optional?: boolean; unit?: string }) {
  if (!fact.exists) return optional ? 'none' : 'missing';
  if (fact.entries === undefined) return formatBytes(fact.size);
  if (!unit) return 'exists';
  // Two pieces that may stack in a narrow panel instead of running off its edge.
  return (
    <>
      <span className="nw">
        {fact.entries} {unit}
      </span>{' '}
      <span className="nw">· {formatBytes(fact.size)}</span>
    </>
  );
}

function FactRow({
  label,
  fact,
  note,
  optional,
  unit,
}: {
  label: string;
  fact: PathFact | null;
  note?: string;
  /** A missing optional file (a -wal sidecar) is normal, not an error. */
  optional?: boolean;
  /** What a directory's entries are called ("log files"); without it only "exists" is shown. */
  unit?: string;
}) {
  if (!fact) {
    return (
      <tr>
        <th>{label}</th>
        <td className="mono dim">{note ?? 'none'}</td>
        <td />
      </tr>
    );
  }
  return (
    <tr data-testid={`fact-${label}`}>
      <th>{label}</th>
      <td className="mono path" title={fact.path}>
        {fact.path}
      </td>
      <td className={fact.exists ? 'ok' : optional ? 'dim' : 'missing'}>
        <FactValue fact={fact} optional={optional} unit={unit} />
      </td>
    </tr>
  );
}

function Attached({ c }: { c: InstallCandidate }) {
  return (
    <section className="install-attached" aria-label="Attached install">
      <h2>
        {c.label} {c.kind === 'sandbox' && <span className="badge">Demo</span>}
      </h2>
      <p className="dim">Source: {c.source}</p>
      <table className="facts">
        <tbody>
          <FactRow label="Data root" fact={c.facts.dataRoot} />
          <FactRow label="aura.db" fact={c.facts.db} />
          <FactRow label="aura.db-wal" fact={c.facts.dbWal} optional />
          <FactRow label="Logs" fact={c.facts.logsDir} unit="log files" />
          <FactRow
            label="appsettings.json"
            fact={c.facts.appSettings}
            note="not found (Aura's defaults apply)"
          />
          <tr>
            <th>API</th>
            {/* No size column here: the address takes both cells so it shows whole in a narrow panel. */}
            <td className="mono path" colSpan={2} title={c.paths.apiUrl}>
              {c.paths.apiUrl}
            </td>
          </tr>
          <tr>
            <th>Redis</th>
            <td className="mono" colSpan={2}>
              {c.paths.redis.enabled ? c.paths.redis.connection : 'not configured (Caching:UseRedis is off)'}
            </td>
          </tr>
        </tbody>
      </table>
      {c.problems.length > 0 && (
        <ul className="problems">
          {c.problems.map((p, i) => (
            <li key={i} className={p.severity}>
              <strong>{p.message}.</strong> {p.action}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function InstallPanel({ list, onChange }: Props) {
  const [addPath, setAddPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [override, setOverride] = useState({ logsDir: '', dbPath: '', apiUrl: '' });
  const current = list?.candidates.find((c) => c.id === list.selectedId) ?? null;

  const [bundlePath, setBundlePath] = useState('');
  const run = async (fn: () => Promise<InstallList>) => {
    try {
      onChange(await fn());
      setError(null);
    } catch (err) {
      const e = err as ApiError;
      setError(`${e.message}${e.detail ? ` — ${e.detail}` : ''}`);
    }
  };

  return (
    <div className="install-panel" data-testid="install-panel">
      {current ? (
        <>
          <Attached c={current} />
          {current.kind === 'sandbox' && <DemoControls />}
        </>
      ) : (
        <section className="install-empty" data-testid="no-install">
          <h2>No Aura install found</h2>
          <p>
            The console looked where Aura keeps its data: the AURA_DATA_PATH, AURA_LOGS_PATH and
            AURA_DATABASE_PATH variables, the standalone API's folder and the desktop app's folder. None holds
            an aura.db or a logs folder.
          </p>
          <ol>
            <li>
              If Aura runs on this machine, add its data folder below (the one holding aura.db and logs/).
            </li>
            <li>If Aura has never run here, start it once: it creates that folder.</li>
            <li>
              To practise, run the demo: <code>aura-ops sandbox run DIR</code> and add DIR.
            </li>
          </ol>
        </section>
      )}

      <section aria-label="Add an install">
        <h3>Add an install by its data folder</h3>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (addPath.trim()) void run(() => api.invoke('install:add', { dataRoot: addPath.trim() }));
          }}
        >
          <input
            aria-label="Data folder"
            placeholder="/home/you/.local/share/Aura"
            value={addPath}
            onChange={(e) => setAddPath(e.target.value)}
          />
          <button type="submit">Add and attach</button>
        </form>
      </section>

      <section aria-label="Open a support bundle">
        <h3>Open a support bundle</h3>
        <p className="dim">
          A bundle made elsewhere with <code>aura-ops bundle --with-db</code> opens read-only: its logs, its
          copy of aura.db, its probes as recorded and the runbook steps that read files. Its files are checked
          against its manifest first; a changed or unsafe bundle is refused.
        </p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (bundlePath.trim())
              void run(() => api.invoke('install:open-bundle', { file: bundlePath.trim() }));
          }}
        >
          <input
            aria-label="Bundle file"
            placeholder="/home/you/Downloads/aura-ops-bundle-….zip"
            value={bundlePath}
            onChange={(e) => setBundlePath(e.target.value)}
          />
          <button type="submit">Open bundle…</button>
        </form>
      </section>

      {current && (
        <section aria-label="Override paths">
          <h3>Override single paths</h3>
          <form
            className="grid"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => api.invoke('install:override', override));
            }}
          >
            <label>
              Logs folder
              <input
                value={override.logsDir}
                placeholder={current.paths.logsDir}
                onChange={(e) => setOverride({ ...override, logsDir: e.target.value })}
              />
            </label>
            <label>
              aura.db
              <input
                value={override.dbPath}
                placeholder={current.paths.dbPath}
                onChange={(e) => setOverride({ ...override, dbPath: e.target.value })}
              />
            </label>
            <label>
              API URL
              <input
                value={override.apiUrl}
                placeholder={current.paths.apiUrl}
                onChange={(e) => setOverride({ ...override, apiUrl: e.target.value })}
              />
            </label>
            <button type="submit">Apply overrides</button>
          </form>
        </section>
      )}

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      <section aria-label="Candidates">
        <h3>
          Installs the console looked for{' '}
          <button
            className="link"
            onClick={() => void run(() => api.invoke('install:list', { rescan: true }))}
          >
            Rescan
          </button>
        </h3>
        <ul className="candidates">
          {list?.candidates.map((c) => (
            <li key={c.id} className={c.id === list.selectedId ? 'selected' : ''}>
              <div className="candidate-text">
                <strong>{c.label}</strong>{' '}
                <span className={isAvailable(c) ? 'ok' : 'dim'}>
                  {isAvailable(c) ? 'found' : 'nothing there'}
                </span>
                <div className="mono dim path" title={c.paths.dataRoot}>
                  {c.paths.dataRoot}
                </div>
              </div>
              {c.id !== list.selectedId && isAvailable(c) && (
                <button onClick={() => void run(() => api.invoke('install:select', { id: c.id }))}>
                  Attach
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
