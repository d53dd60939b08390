// The Disk probe with Aura's own DiskSpace check folded in: the fullest volume leads the card and
// is what the triage is given; hostile check data (from the API's answer) is refused, not shown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCheckSignal } from '../../../shared/triage-signals';
import { resolveRoot } from '../install/discover';
import { auraDiskCheck } from './sweep';
import { AURA_DISK_LABEL, probeDisk } from './system-probes';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-disk-'));
  fs.mkdirSync(path.join(root, 'logs'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const install = () =>
  resolveRoot({ kind: 'sandbox', dataRoot: root, source: 'test', useEnv: false }, { env: {} });
const diskCheck = (data: Record<string, unknown>): ApiCheckSignal[] => [
  { name: 'DiskSpace', status: 'degraded', description: '', data },
];

describe('probeDisk', () => {
  it('measures the install folders itself and names the fullest volume with what lives there', () => {
    const { result, fullest } = probeDisk(install());
    expect(fullest).not.toBeNull();
    expect(fullest!.label).toContain('data root');
    expect(result.value).toBe(Math.round(fullest!.freeGb * 100) / 100);
    expect(result.details.some((d) => d.label === AURA_DISK_LABEL)).toBe(false);
  });

  it("leads with Aura's drive when its DiskSpace check reports less free space, in the same words as the triage", () => {
    const { result, fullest } = probeDisk(
      install(),
      auraDiskCheck(diskCheck({ free_gb: 0.82, total_gb: 256, drive: 'D:\\' })),
    );
    expect(fullest).toEqual({ freeGb: 0.82, path: 'D:\\', label: AURA_DISK_LABEL });
    expect({ state: result.state, value: result.value }).toEqual({ state: 'degraded', value: 0.82 });
    expect(result.summary).toMatch(
      /^Only 0\.82 GB free on D:\\ \(Aura's app drive, per its DiskSpace check; Aura degrades below 1 GB/,
    );
    expect(result.details.find((d) => d.label === AURA_DISK_LABEL)).toEqual({
      label: AURA_DISK_LABEL,
      value: '0.82 GB free of 256.0 GB (D:\\)',
      state: 'degraded',
    });
  });

  it('refuses hostile or missing check data instead of showing it', () => {
    for (const data of [
      {},
      { free_gb: '0.1' },
      { free_gb: -5 },
      { free_gb: Number.NaN },
      { free_gb: Number.POSITIVE_INFINITY },
      { free_gb: null },
    ]) {
      expect({ data, check: auraDiskCheck(diskCheck(data)) }).toEqual({ data, check: null });
    }
    expect(auraDiskCheck([])).toBeNull();
    // A nonsense total or drive is dropped, the free figure kept; a huge drive name is cut.
    expect(auraDiskCheck(diskCheck({ free_gb: 2, total_gb: 1, drive: 42 }))).toEqual({
      freeGb: 2,
      totalGb: null,
      drive: null,
    });
    expect(auraDiskCheck(diskCheck({ free_gb: 2, drive: 'x'.repeat(10_000) }))?.drive).toHaveLength(260);
    const { result } = probeDisk(install(), { freeGb: 3, totalGb: null, drive: null });
    expect(result.details.find((d) => d.label === AURA_DISK_LABEL)?.value).toBe('3.00 GB free (?)');
  });
});
