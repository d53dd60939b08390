// The bundle reader against hostile archives: every trick that could write outside the
// extraction folder, fill the disk or hide a file is refused with a clear error, nothing is left
// behind, and an honest archive extracts byte for byte.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../../shared/errors';
import { buildZip } from '../probes/zip';
import { craftZip, type CraftEntry } from './craft-zip';
import { extractZip, type ZipLimits } from './unzip';

let root: string;
let n = 0;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-unzip-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Everything under `dir`, as relative paths (lstat: links are listed, not followed). */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

async function refused(zip: Buffer, message: RegExp, limits?: Partial<ZipLimits>): Promise<void> {
  const case_ = path.join(root, `case-${++n}`);
  fs.mkdirSync(case_);
  const file = path.join(case_, 'in.zip');
  fs.writeFileSync(file, zip);
  const dest = path.join(case_, 'out');
  const before = tree(root);
  const err = await extractZip(file, dest, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpsError);
  expect((err as OpsError).message).toMatch(message);
  // Nothing opened: the extraction folder is gone, and nothing appeared anywhere else.
  expect(fs.existsSync(dest)).toBe(false);
  expect(tree(root)).toEqual(before);
  expect(fs.existsSync(path.join(os.tmpdir(), 'evil.txt'))).toBe(false);
}

const ok = (name: string, data = 'x\n'): CraftEntry => ({ name, data });

describe('extractZip refuses hostile archives', () => {
  it('zip-slip: a name climbing out with ..', async () => {
    await refused(
      craftZip([ok('manifest.json', '{}'), ok('../evil.txt')]),
      /"\.\.\/evil\.txt".*leave the bundle folder/,
    );
    await refused(craftZip([ok('logs/../../evil.txt')]), /leave the bundle folder/);
    await refused(craftZip([ok('..')]), /leave the bundle folder/);
  });

  it('absolute names, drive letters and backslashes', async () => {
    await refused(craftZip([ok('/tmp/evil.txt')]), /absolute/);
    await refused(craftZip([ok('C:/evil.txt')]), /absolute/);
    await refused(craftZip([ok('logs\\..\\..\\evil.txt')]), /backslash/);
  });

  it('control characters, empty segments and directory entries', async () => {
    await refused(craftZip([ok('logs/a\u0000b.log')]), /control character/);
    await refused(craftZip([ok('logs//a.log')]), /empty part/);
    await refused(craftZip([ok('logs/')]), /directory entry/);
    await refused(craftZip([ok('')]), /empty name/);
  });

  it('symbolic links, devices and fifos', async () => {
    await refused(
      craftZip([{ name: 'logs/link.log', data: '/etc/passwd', mode: 0o120777 }]),
      /symbolic link/,
    );
    await refused(craftZip([{ name: 'dev', data: '', mode: 0o020666 }]), /not a regular file/);
    await refused(craftZip([{ name: 'blk', data: '', mode: 0o060666 }]), /not a regular file/);
    await refused(craftZip([{ name: 'fifo', data: '', mode: 0o010666 }]), /not a regular file/);
  });

  it('duplicate names, also differing only in case', async () => {
    await refused(craftZip([ok('a.txt', 'one'), ok('a.txt', 'two')]), /twice/);
    await refused(craftZip([ok('logs/A.log'), ok('logs/a.log')]), /twice/);
    // A file and a folder of the same name cannot both be extracted.
    await refused(craftZip([ok('logs'), ok('logs/a.log')]), /both a file and a folder/);
  });

  it('too many entries', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ok(`f${i}.txt`));
    await refused(craftZip(many), /30 files.*at most 20/, { maxEntries: 20 });
  });

  it('a huge declared size, per file and in total', async () => {
    await refused(
      craftZip([{ name: 'big.log', data: 'x', declaredSize: 0xfffffff0 }]),
      /says it holds .* more than .* one file/,
    );
    await refused(craftZip([ok('a.log', 'a'.repeat(600)), ok('b.log', 'b'.repeat(600))]), /in all/, {
      maxTotalBytes: 1000,
      maxRatio: 1e6,
    });
  });

  it('a compression-ratio bomb', async () => {
    const bomb = Buffer.alloc(8 * 1024 * 1024, 0);
    await refused(craftZip([{ name: 'logs/bomb.log', data: bomb }]), /compressed .* times/);
  });

  it('an actual size larger or smaller than declared', async () => {
    // Declares 10 bytes, inflates to 100 KB: the inflater stops at the declared size.
    await refused(
      craftZip([{ name: 'lie.log', data: 'y'.repeat(100_000), declaredSize: 10 }]),
      /more than the 10 bytes it declares|compressed .* times/,
      { maxRatio: 1e9 },
    );
    await refused(
      craftZip([{ name: 'lie.log', data: 'y'.repeat(1000), declaredSize: 5000 }]),
      /1000 bytes, not the 5000 it declares/,
      { maxRatio: 1e9 },
    );
    await refused(
      craftZip([{ name: 'stored.log', data: 'z'.repeat(50), store: true, declaredSize: 40 }]),
      /is stored, but its two sizes differ/,
    );
  });

  it('the same lies in a big entry, which is streamed rather than inflated in one step', async () => {
    const big = crypto.randomBytes(1536 * 1024).toString('hex'); // 3 MiB of text, not a bomb
    await refused(
      craftZip([{ name: 'logs/big.log', data: big, declaredSize: 2 * 1024 * 1024 }]),
      /more than the 2097152 bytes it declares/,
    );
    await refused(
      craftZip([{ name: 'logs/big.log', data: big, declaredSize: 4 * 1024 * 1024 }]),
      /3145728 bytes, not the 4194304 it declares/,
    );
    await refused(craftZip([{ name: 'logs/big.log', data: big, crc: 1234 }]), /CRC/);
  });

  it('a CRC mismatch, encryption, and two entries sharing one body', async () => {
    await refused(craftZip([{ name: 'a.log', data: 'hello', crc: 1234 }]), /CRC/);
    await refused(craftZip([{ name: 'a.log', data: 'hello', flags: 0x0801 }]), /encrypted/);
    await refused(
      craftZip([ok('a.log', 'hello'), { name: 'b.log', data: 'hello', sameDataAs: 0 }]),
      /overlap|its local header names it "a.log"/,
    );
  });

  it('not a zip at all, a truncated one, and a lying entry count', async () => {
    await refused(Buffer.from('PK but not really a zip file'), /not a zip/);
    const good = craftZip([ok('a.log', 'hello world')]);
    await refused(good.subarray(0, good.length - 30), /not a zip|damaged/);
    await refused(craftZip([ok('a.log'), ok('b.log')], { countOverride: 5 }), /damaged/);
  });
});

describe('extractZip on an honest archive', () => {
  it('extracts every file byte for byte, owner-only, and returns each sha256', async () => {
    const dir = path.join(root, 'honest');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'in.zip');
    const big = Buffer.from(
      Array.from({ length: 20_000 }, (_, i) => `2026-12-07 03:00:00.000 +00:00 [INF] line ${i}\n`).join(''),
    );
    fs.writeFileSync(
      file,
      buildZip([
        { name: 'manifest.json', data: '{}' },
        { name: 'logs/aura-api-20261207.log', data: big },
      ]),
    );
    const out = await extractZip(file, path.join(dir, 'out'));
    expect(out.files.map((f) => f.name)).toEqual(['manifest.json', 'logs/aura-api-20261207.log']);
    expect(fs.readFileSync(path.join(dir, 'out', 'logs/aura-api-20261207.log')).equals(big)).toBe(true);
    expect(out.files[1].bytes).toBe(big.length);
    expect(out.files[1].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(path.join(dir, 'out', 'manifest.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses to extract into a folder that already exists', async () => {
    const dir = path.join(root, 'exists');
    fs.mkdirSync(path.join(dir, 'out'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'in.zip'), buildZip([{ name: 'a.txt', data: 'a' }]));
    await expect(extractZip(path.join(dir, 'in.zip'), path.join(dir, 'out'))).rejects.toThrow(
      /already exists/,
    );
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual([]);
  });
});
