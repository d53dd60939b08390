// The Overview tab: the file, its size, -wal/-shm, journal mode, write lock, free pages, schema
// state and SQLite version, then the tables (capped row counts, an exact count on request) and indexes.
import type { DbOverview } from '../../../../shared/contract/database';
import { formatBytes } from '../../format';

/** An ISO time as the operator's local "YYYY-MM-DD HH:MM:SS" (what the logs show). */
function localTime(iso: string | null): string {
  if (!iso) return '?';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export default function OverviewTab({
  data,
  onCount,
}: {
  data: DbOverview;
  onCount: (table: string) => void;
}) {
  return (
    <div className="db-overview">
      <dl className="db-facts">
        <dt>File</dt>
        <dd className="db-mono">
          {data.dbPath}
          {data.access === 'snapshot' ? ' (private snapshot)' : ''}
        </dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(data.sizeBytes)} ({data.pageCount} pages × {data.pageSize} B)
        </dd>
        <dt>-wal / -shm</dt>
        <dd>
          {data.wal.exists ? formatBytes(data.wal.size) : 'none'} /{' '}
          {data.shm.exists ? formatBytes(data.shm.size) : 'none'}
        </dd>
        <dt>Journal mode</dt>
        <dd>{data.journalMode}</dd>
        <dt>Write lock</dt>
        <dd
          className={
            data.lock.state === 'locked' ? 'db-warn' : data.lock.state === 'free' ? undefined : 'db-dim'
          }
          data-testid="db-lock-fact"
        >
          {data.lock.state === 'free' ? 'none (no process holds one)' : data.lock.summary}
        </dd>
        <dt>Free pages</dt>
        <dd className={data.vacuumCandidate ? 'db-warn' : undefined}>
          {data.freelistPages} ({(data.freeRatio * 100).toFixed(1)}%)
          {data.vacuumCandidate ? ` — VACUUM candidate (over ${data.vacuumThreshold * 100}%)` : ''}
        </dd>
        <dt>Last modified</dt>
        <dd>
          {localTime(data.file.mtime)}
          {data.wal.mtime ? ` (-wal ${localTime(data.wal.mtime)})` : ''}
        </dd>
        <dt>Schema</dt>
        <dd className={data.schema.state === 'current' ? 'db-ok' : 'db-warn'}>
          {data.schema.state}: {data.schema.summary}
          {data.schema.lastApplied && !data.schema.summary.includes(data.schema.lastApplied) && (
            <div className="db-mono">last applied {data.schema.lastApplied}</div>
          )}
        </dd>
        <dt>SQLite</dt>
        <dd>
          {data.sqliteVersion} · overview in {data.elapsedMs} ms
        </dd>
      </dl>
      {data.notes.map((n) => (
        <div key={n} className="db-note">
          {n}
        </div>
      ))}
      <table className="db-grid db-tables">
        <thead>
          <tr>
            <th>Table</th>
            <th>Rows</th>
            <th title="Columns">Cols</th>
            <th title="Indexes">Idx</th>
          </tr>
        </thead>
        <tbody>
          {data.tables.map((t) => {
            const idx = data.indexes.filter((i) => i.table === t.name);
            return (
              <tr key={t.name} data-table={t.name}>
                <td className="db-name" title={t.name}>
                  {t.name}
                  {t.type === 'view' ? ' (view)' : ''}
                </td>
                <td>
                  {t.countError ? (
                    <span className="db-err-text">{t.countError}</span>
                  ) : t.rowCount === null ? (
                    '–'
                  ) : (
                    `${t.capped ? '> ' : ''}${t.rowCount.toLocaleString()}`
                  )}
                  {t.capped && (
                    <button className="db-more" onClick={() => onCount(t.name)}>
                      exact
                    </button>
                  )}
                </td>
                <td>{t.columns.length}</td>
                <td title={idx.map((i) => `${i.name}(${i.columns.join(', ')})`).join('\n')}>
                  {idx.length || ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <details className="db-indexes">
        <summary>
          Indexes ({data.indexes.filter((i) => i.origin === 'c').length} created,{' '}
          {data.indexes.filter((i) => i.origin !== 'c').length} from keys)
        </summary>
        <ul>
          {data.indexes
            .filter((i) => i.origin === 'c')
            .map((i) => (
              <li key={i.name} className="db-mono">
                {i.name} on {i.table}({i.columns.join(', ')}){i.unique ? ' unique' : ''}
              </li>
            ))}
        </ul>
      </details>
    </div>
  );
}
