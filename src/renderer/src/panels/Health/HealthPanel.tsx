// The health dashboard: the triage on top (severity, response time, ranked runbooks with the
// reason), then a card per probe with its state, value, sparkline, last check and shell command.
// Relative times ("newest 12 s ago", "Last sweep 4 s ago") tick once a second while it shows.
import { useCallback, useEffect, useState } from 'react';
import type {
  BundlePlanResult,
  HistoryPoint,
  ProbeConfig,
  ProbeId,
  ProbeResult,
  ProbeState,
  SweepResult,
} from '../../../../shared/contract/probes';
import { reasonAt } from '../../../../shared/triage';
import { ageText } from '../../../../shared/triage-signals';
import { api, ApiError } from '../../transport';
import { useNow } from '../../use-now';
import './health.css';

interface Props {
  active?: boolean;
  onRunCommand?: (cmd: string) => void;
  onOpenRunbook?: (title: string) => void;
}

const INTERVALS: [number, string][] = [
  [5_000, '5 s'],
  [15_000, '15 s'],
  [30_000, '30 s'],
  [60_000, '1 min'],
  [300_000, '5 min'],
];
/** Minutes of history each sparkline shows. */
const SPARK_MINUTES = 60;

const STATE_LABEL: Record<ProbeState, string> = {
  ok: 'OK',
  degraded: 'Degraded',
  unhealthy: 'Unhealthy',
  unreachable: 'Unreachable',
  'not-configured': 'Not configured',
  unknown: 'Unknown',
};

function Sparkline({ points }: { points: HistoryPoint[] }) {
  const vals = points.filter((p) => p.value !== null) as (HistoryPoint & { value: number })[];
  if (vals.length < 2) return <svg className="spark" viewBox="0 0 120 28" aria-label="no history yet" />;
  const t0 = vals[0].at;
  const t1 = vals[vals.length - 1].at;
  const lo = Math.min(...vals.map((p) => p.value));
  const hi = Math.max(...vals.map((p) => p.value));
  const x = (t: number) => ((t - t0) / Math.max(1, t1 - t0)) * 118 + 1;
  const y = (v: number) => 26 - ((v - lo) / Math.max(1e-9, hi - lo)) * 24;
  const d = vals.map((p, i) => `${i ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return (
    <svg className="spark" viewBox="0 0 120 28" role="img" aria-label={`history ${lo} to ${hi}`}>
      <path d={d} />
      {points
        .filter((p) => p.state !== 'ok' && p.state !== 'not-configured')
        .map((p) => (
          <circle
            key={p.at}
            className={`dot ${p.state}`}
            cx={x(Math.min(Math.max(p.at, t0), t1))}
            cy={26}
            r={1.6}
          />
        ))}
    </svg>
  );
}

function ProbeCard({
  r,
  history,
  now,
  onRunCommand,
}: {
  r: ProbeResult;
  history: HistoryPoint[];
  now: number;
  onRunCommand?: (cmd: string) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <article className={`probe-card state-${r.state}`} data-testid={`probe-${r.id}`}>
      <header>
        <h3>{r.title}</h3>
        <span className={`state-badge ${r.state}`}>{STATE_LABEL[r.state]}</span>
      </header>
      <div className="probe-value">
        {r.value === null ? '—' : r.value}
        {r.value !== null && r.unit ? <small> {r.unit}</small> : null}
        <Sparkline points={history} />
      </div>
      <p className="probe-summary">{r.summary}</p>
      <div className="probe-meta">
        <span title={new Date(r.checkedAt).toLocaleString()}>
          checked {ageText(now - r.checkedAt)} · {r.durationMs} ms
        </span>
        {r.details.length > 0 && (
          <button className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
            {open ? 'Hide details' : `Details (${r.details.length})`}
          </button>
        )}
      </div>
      {open && (
        <table className="probe-details">
          <tbody>
            {r.details.map((d, i) => (
              <tr key={`${d.label}-${i}`} className={d.state ?? ''} title={d.note}>
                <th>{d.label}</th>
                <td>{d.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="probe-shell">
        <code>{r.shell}</code>
        {onRunCommand && (
          <button onClick={() => onRunCommand(r.shell)} title="Paste and run this command in the terminal">
            Run in terminal
          </button>
        )}
      </div>
    </article>
  );
}

export default function HealthPanel({ active = true, onRunCommand, onOpenRunbook }: Props) {
  const [sweep, setSweep] = useState<SweepResult | null>(null);
  const [config, setConfig] = useState<ProbeConfig | null>(null);
  const [history, setHistory] = useState<Partial<Record<ProbeId, HistoryPoint[]>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const liveNow = useNow(active);
  // A bundle's probes were recorded on the customer's machine: ages are counted from that moment.
  const fromBundle = sweep?.installId?.startsWith('bundle:') === true;
  const now = fromBundle && sweep ? sweep.startedAt : liveNow;
  const show = (err: unknown) =>
    setError(err instanceof ApiError ? `${err.message}${err.detail ? ` (${err.detail})` : ''}` : String(err));

  const loadHistory = useCallback(async (s: SweepResult | null) => {
    if (!s) return;
    const pairs = await Promise.all(
      s.results.map(
        async (r) =>
          [r.id, await api.invoke('probes:history', { probe: r.id, minutes: SPARK_MINUTES })] as const,
      ),
    );
    setHistory(Object.fromEntries(pairs));
  }, []);

  const apply = useCallback(
    (s: SweepResult | null) => {
      setSweep(s);
      void loadHistory(s).catch(show);
    },
    [loadHistory],
  );

  const refreshNow = useCallback(async () => {
    setBusy(true);
    try {
      apply(await api.invoke('probes:sweep', {}));
      setError(null);
    } catch (err) {
      show(err);
    } finally {
      setBusy(false);
    }
  }, [apply]);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const [latest, cfg] = await Promise.all([
          api.invoke('probes:latest', {}),
          api.invoke('probes:config', {}),
        ]);
        if (!live) return;
        setConfig(cfg);
        if (latest) apply(latest);
        else await refreshNow();
      } catch (err) {
        show(err);
      }
    })();
    const off = api.on('probes:update', (s) => apply(s));
    return () => {
      live = false;
      off();
    };
  }, [apply, refreshNow]);

  // Values (latency, bytes) move without a state change: re-read the latest sweep on the interval.
  useEffect(() => {
    if (!active || !config || config.paused) return;
    const t = setInterval(() => {
      api.invoke('probes:latest', {}).then(apply, show);
    }, config.intervalMs);
    return () => clearInterval(t);
  }, [active, config, apply]);

  const setCfg = async (p: { intervalMs?: number; paused?: boolean }) => {
    try {
      setConfig(await api.invoke('probes:config', p));
    } catch (err) {
      show(err);
    }
  };

  // The support bundle: a preview of what goes in (and what the redaction took out) comes first;
  // the operator may untick files, then writes it.
  const [plan, setPlan] = useState<BundlePlanResult | null>(null);
  const [planWithDb, setPlanWithDb] = useState(true);
  const [leftOut, setLeftOut] = useState<Set<string>>(new Set());
  const [planBusy, setPlanBusy] = useState(false);
  const [written, setWritten] = useState<string | null>(null);
  const preview = async (withDb: boolean) => {
    setPlanBusy(true);
    try {
      setPlan(await api.invoke('probes:bundle-plan', { withDb }));
      setPlanWithDb(withDb);
      setLeftOut(new Set());
      setWritten(null);
      setError(null);
    } catch (err) {
      show(err);
    } finally {
      setPlanBusy(false);
    }
  };
  const writeBundle = async () => {
    setPlanBusy(true);
    try {
      const r = await api.invoke('probes:bundle', { withDb: planWithDb, exclude: [...leftOut] });
      setWritten(`Written: ${r.file} (${Math.round(r.bytes / 1024)} KB, ${r.entries.length} files)`);
      setPlan(null);
      setError(null);
    } catch (err) {
      show(err);
    } finally {
      setPlanBusy(false);
    }
  };

  const t = sweep?.triage;
  return (
    <div className="health-panel">
      <div className="health-toolbar">
        {/* A bundle's probes were recorded on the customer's machine: nothing here probes again, and
            an opened bundle is not bundled again. */}
        {!fromBundle && (
          <>
            <button onClick={() => void refreshNow()} disabled={busy}>
              {busy ? 'Checking…' : 'Refresh now'}
            </button>
            <label>
              Every{' '}
              <select
                value={config?.intervalMs ?? 15_000}
                onChange={(e) => void setCfg({ intervalMs: Number(e.target.value) })}
                aria-label="Refresh interval"
              >
                {INTERVALS.map(([ms, label]) => (
                  <option key={ms} value={ms}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <button
              onClick={() => void setCfg({ paused: !config?.paused })}
              aria-pressed={config?.paused ?? false}
            >
              {config?.paused ? 'Resume' : 'Pause'}
            </button>
            <button
              onClick={() => void preview(true)}
              disabled={planBusy}
              title="See what a support bundle would hold, then write it"
            >
              Support bundle…
            </button>
          </>
        )}
        {sweep && (
          <span className="dim" data-testid="last-sweep">
            {fromBundle
              ? `Recorded sweep (${sweep.durationMs} ms)`
              : `Last sweep ${ageText(now - sweep.startedAt)} (${sweep.durationMs} ms)`}
            {!fromBundle && config?.paused ? ' · paused' : ''}
          </span>
        )}
      </div>
      {error && (
        <p className="health-error" role="alert">
          {error}
        </p>
      )}
      {written && (
        <p className="health-bundle" data-testid="bundle-written">
          {written}
        </p>
      )}
      {plan && (
        <section className="bundle-plan" aria-label="Support bundle preview">
          <label>
            <input
              type="checkbox"
              checked={planWithDb}
              disabled={planBusy}
              onChange={(e) => void preview(e.target.checked)}
            />{' '}
            Include a copy of aura.db and the whole log files of the last 24 hours (a bundle that can be
            opened elsewhere)
          </label>
          <p className="dim">
            Every file passes the redaction first. Taken out:{' '}
            {Object.entries(plan.redactions)
              .map(([rule, n]) => `${rule} ${n}`)
              .join(', ') || 'nothing'}
            .
          </p>
          <ul>
            {plan.files.map((f) => (
              <li key={f.name}>
                <label>
                  <input
                    type="checkbox"
                    checked={!leftOut.has(f.name)}
                    onChange={(e) =>
                      setLeftOut((s0) => {
                        const next = new Set(s0);
                        if (e.target.checked) next.delete(f.name);
                        else next.add(f.name);
                        return next;
                      })
                    }
                  />{' '}
                  <span className="mono">{f.name}</span>{' '}
                  <span className="dim">
                    {Math.max(1, Math.round(f.bytes / 1024))} KB
                    {f.redactions ? ` · ${f.redactions} redacted` : ''}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {plan.leftOut.map((f) => (
            <p key={f.name} className="dim">
              Left out: {f.name} ({f.reason})
            </p>
          ))}
          <button className="primary" disabled={planBusy} onClick={() => void writeBundle()}>
            {planBusy
              ? 'Writing…'
              : `Write bundle${leftOut.size ? ` without ${leftOut.size} file${leftOut.size === 1 ? '' : 's'}` : ''}`}
          </button>{' '}
          <button onClick={() => setPlan(null)}>Cancel</button>
        </section>
      )}
      {fromBundle && sweep && (
        <p className="health-bundle" data-testid="health-bundle">
          {sweep.installLabel}: the probes as recorded then, as of{' '}
          {new Date(sweep.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC;{' '}
          {sweep.bundleTriage === 'recorded'
            ? "the triage as the customer's console gave it, read again from the bundle's logs once its files are verified."
            : "the triage is replayed from them and the bundle's logs."}{' '}
          Nothing on this machine is probed.
        </p>
      )}
      {t && (
        <section className={`triage sev-${t.severity.slice(-1)}`} aria-label="Triage">
          <div className="triage-head">
            <span className="sev-badge">{t.severity}</span>
            <strong>{t.severityName}</strong>
            {t.phase === 'recovering' && (
              <span
                className="triage-phase"
                data-testid="triage-phase"
                title="No new bad record for a while and the probes agree: it clears on its own within a minute"
              >
                recovering
              </span>
            )}
            <span className="dim">respond: {t.responseTime}</span>
          </div>
          <ol className="triage-list">
            {t.suggestions.map((s) => (
              <li key={s.runbook} className={s.phase === 'recovering' ? 'recovering' : undefined}>
                <button
                  className="link runbook"
                  onClick={() => onOpenRunbook?.(s.runbook)}
                  disabled={!onOpenRunbook}
                >
                  {s.runbook}
                </button>{' '}
                <span className="dim">({s.severity})</span>
                <ul>
                  {(s.matches ?? []).map((m) => (
                    <li key={m.ruleId} data-rule={m.ruleId} data-phase={m.phase}>
                      {reasonAt(m, now)}
                      {m.phase === 'recovering' && <span className="reason-phase"> recovering</span>}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
          {(t.notes ?? []).length > 0 && (
            <div className="triage-notes" aria-label="Notes">
              {t.notes.map((n) => (
                <p key={n.ruleId} data-rule={n.ruleId}>
                  Note: {n.reason}
                </p>
              ))}
            </div>
          )}
        </section>
      )}
      <div className="probe-grid">
        {sweep?.results.map((r) => (
          <ProbeCard
            key={r.id}
            r={r}
            history={history[r.id] ?? []}
            now={now}
            // Its commands ask the customer's machine (API, Redis, today's log): not this one.
            onRunCommand={fromBundle ? undefined : onRunCommand}
          />
        ))}
        {!sweep && !error && <p className="dim">Running the first sweep…</p>}
      </div>
    </div>
  );
}
