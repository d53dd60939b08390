// A result grid: column names with declared types, cells with JSON pretty-printed on demand and
// long text expandable; optional sortable headers for the table browser.
import { useState } from 'react';
import type { Cell, ColumnInfo } from '../../../../shared/contract/database';

/** Characters of a text cell shown before "more". */
const PREVIEW_CHARS = 120;

function asJson(s: string): string | null {
  const t = s.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null; // Not JSON after all: shown as plain text, which is what it is.
  }
}

function CellView({ cell }: { cell: Cell }) {
  const [open, setOpen] = useState(false);
  if (cell === null) return <span className="db-null">NULL</span>;
  if (typeof cell === 'number') return <span className="db-num">{cell}</span>;
  if (typeof cell !== 'string' && cell.kind === 'bigint') return <span className="db-num">{cell.value}</span>;
  if (typeof cell !== 'string' && cell.kind === 'blob') return <span className="db-null">blob {cell.bytes} B · {cell.hex}</span>;
  const text = typeof cell === 'string' ? cell : cell.text;
  const fullLength = typeof cell === 'string' ? cell.length : cell.length;
  const json = asJson(text);
  if (!open) {
    const short = text.length > PREVIEW_CHARS || json !== null || fullLength > text.length;
    return (
      <span>
        {text.slice(0, PREVIEW_CHARS)}
        {short && (
          <button className="db-more" onClick={() => setOpen(true)} title="Show all">
            {json ? '{…}' : `… ${fullLength} chars`}
          </button>
        )}
      </span>
    );
  }
  return (
    <div>
      <pre className="db-pre">{json ?? text}</pre>
      {fullLength > text.length && <div className="db-null">(first {text.length} of {fullLength} chars; run a query with substr() for the rest)</div>}
      <button className="db-more" onClick={() => setOpen(false)}>less</button>
    </div>
  );
}

export default function ResultTable({
  columns,
  rows,
  sort,
  onSort,
}: {
  columns: ColumnInfo[];
  rows: Cell[][];
  sort?: { column: string; dir: 'asc' | 'desc' };
  onSort?: (column: string) => void;
}) {
  return (
    <div className="db-grid-wrap">
      <table className="db-grid">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.name} onClick={onSort ? () => onSort(c.name) : undefined} className={onSort ? 'db-sortable' : undefined}>
                {c.name}
                {sort?.column === c.name ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                <div className="db-type">{c.declaredType ?? ''}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, j) => (
                <td key={j}>
                  <CellView cell={c} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <div className="db-empty">No rows.</div>}
    </div>
  );
}
