// A result grid: column names with declared types, one-line cells, optional sortable headers; a
// clicked row opens as a record (column: value, JSON pretty-printed, long text expandable).
import { useEffect, useState } from 'react';
import type { Cell, ColumnInfo } from '../../../../shared/contract/database';

/** Characters of a text cell in the grid (one line; the record view shows all). */
const PREVIEW_CHARS = 80;
/** Text longer than this is folded in the record view until "more" is clicked. */
const LONG_CHARS = 300;

function asJson(s: string): string | null {
  const t = s.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return null;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return null; // Not JSON after all: shown as plain text, which is what it is.
  }
}

/** One line of a cell for the grid: short, never wrapping (the record view shows it whole). */
function cellPreview(cell: Cell): { text: string; title?: string; cls?: string } {
  if (cell === null) return { text: 'NULL', cls: 'db-null' };
  if (typeof cell === 'number') return { text: String(cell), cls: 'db-num' };
  if (typeof cell === 'string')
    return {
      text: cell.slice(0, PREVIEW_CHARS),
      title: cell.length > PREVIEW_CHARS / 2 ? cell.slice(0, 500) : undefined,
    };
  if (cell.kind === 'bigint') return { text: cell.value, cls: 'db-num' };
  if (cell.kind === 'blob') return { text: `blob ${cell.bytes} B`, cls: 'db-null', title: cell.hex };
  return { text: cell.text.slice(0, PREVIEW_CHARS), title: `${cell.length} chars` };
}

/** A cell shown whole: JSON pretty-printed, long text expandable. */
function CellView({ cell }: { cell: Cell }) {
  const [open, setOpen] = useState(false);
  if (cell === null) return <span className="db-null">NULL</span>;
  if (typeof cell === 'number') return <span className="db-num">{cell}</span>;
  if (typeof cell !== 'string' && cell.kind === 'bigint') return <span className="db-num">{cell.value}</span>;
  if (typeof cell !== 'string' && cell.kind === 'blob')
    return (
      <span className="db-null">
        blob {cell.bytes} B · {cell.hex}
      </span>
    );
  const text = typeof cell === 'string' ? cell : cell.text;
  const fullLength = typeof cell === 'string' ? cell.length : cell.length;
  const json = asJson(text);
  if (!open && (json !== null || text.length > LONG_CHARS)) {
    return (
      <span>
        <span className="db-cell-text">{text.slice(0, LONG_CHARS)}</span>
        <button className="db-more" onClick={() => setOpen(true)} title="Show all">
          {json ? '{…} pretty' : `… ${fullLength} chars`}
        </button>
      </span>
    );
  }
  return (
    <div>
      <pre className="db-pre">{json ?? text}</pre>
      {fullLength > text.length && (
        <div className="db-null">
          (first {text.length} of {fullLength} chars; run a query with substr() for the rest)
        </div>
      )}
      {(json !== null || text.length > LONG_CHARS) && (
        <button className="db-more" onClick={() => setOpen(false)}>
          less
        </button>
      )}
    </div>
  );
}

/** One row as a list of column: value, for narrow panes and long values. */
function RecordView({
  columns,
  row,
  index,
  count,
  onMove,
  onClose,
}: {
  columns: ColumnInfo[];
  row: Cell[];
  index: number;
  count: number;
  onMove: (to: number) => void;
  onClose: () => void;
}) {
  return (
    <section className="db-record" aria-label="Row details">
      <div className="db-toolbar">
        <strong>
          Row {index + 1} of {count}
        </strong>
        <button aria-label="Previous row" disabled={index === 0} onClick={() => onMove(index - 1)}>
          ◀
        </button>
        <button aria-label="Next row" disabled={index >= count - 1} onClick={() => onMove(index + 1)}>
          ▶
        </button>
        <button aria-label="Close row details" onClick={onClose}>
          ✕
        </button>
      </div>
      <dl className="db-record-fields">
        {columns.map((c, i) => (
          <div key={c.name} className="db-record-field" data-column={c.name}>
            <dt>
              {c.name}
              {c.declaredType && <span className="db-type"> {c.declaredType}</span>}
            </dt>
            <dd>
              <CellView cell={row[i]} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
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
  const [selected, setSelected] = useState<number | null>(null);
  // A new page or result closes the record view rather than showing a stale row.
  useEffect(() => setSelected(null), [rows]);
  const current = selected !== null && selected < rows.length ? selected : null;
  return (
    <>
      {current !== null && (
        <RecordView
          columns={columns}
          row={rows[current]}
          index={current}
          count={rows.length}
          onMove={setSelected}
          onClose={() => setSelected(null)}
        />
      )}
      <div className="db-grid-wrap">
        <table className="db-grid">
          <thead>
            <tr>
              {columns.map((c) => (
                <th
                  key={c.name}
                  onClick={onSort ? () => onSort(c.name) : undefined}
                  className={onSort ? 'db-sortable' : undefined}
                  aria-sort={
                    sort?.column === c.name ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined
                  }
                >
                  {c.name}
                  {sort?.column === c.name ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  <div className="db-type">{c.declaredType ?? ''}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr
                key={i}
                className={i === current ? 'db-selected' : undefined}
                title="Click for the whole row"
                onClick={() => setSelected(i === current ? null : i)}
              >
                {r.map((c, j) => {
                  const p = cellPreview(c);
                  return (
                    <td key={j} className={p.cls} title={p.title}>
                      {p.text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <div className="db-empty">No rows.</div>}
      </div>
    </>
  );
}
