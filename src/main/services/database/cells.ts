// Reading back what the executor returns: a cell as a number or a string (bigints and long text
// included), and elapsed times rounded the way every result reports them.
import type { Cell } from '../../../shared/contract/database';

export function elapsedSince(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

export function num(c: Cell | undefined): number {
  if (typeof c === 'number') return c;
  if (c && typeof c === 'object' && c.kind === 'bigint') return Number(c.value);
  return 0;
}

export function str(c: Cell | undefined): string {
  if (typeof c === 'string') return c;
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return String(c);
  return c.kind === 'long-text' ? c.text : c.kind === 'bigint' ? c.value : '';
}
