// Turns a result table into CSV or JSON text for the SQL console's export buttons (pure, no DOM).
import type { Cell, ColumnInfo } from '../../../../shared/contract/database';

export function cellValue(c: Cell): string | number | null {
  if (c === null || typeof c === 'number' || typeof c === 'string') return c;
  if (c.kind === 'bigint') return c.value;
  if (c.kind === 'blob') return `x'${c.hex}${c.bytes > c.hex.length / 2 ? '…' : ''}'`;
  return c.text;
}

function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: ColumnInfo[], rows: Cell[][]): string {
  const lines = [columns.map((c) => csvField(c.name)).join(',')];
  for (const r of rows) lines.push(r.map((c) => csvField(cellValue(c))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(columns: ColumnInfo[], rows: Cell[][]): string {
  return JSON.stringify(
    rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, cellValue(r[i])]))),
    null,
    2,
  );
}
