// The support-bundle reader: a bundle comes from outside, so the zip is checked whole (names,
// types, sizes, ratios, overlaps) before one byte is written, and every byte is counted and
// CRC-checked while it is written. Any failure removes the extraction folder: nothing is opened.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { OpsError } from '../../../shared/errors';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/private-files';

export interface ZipLimits {
  /** A bundle holds a manifest, a few dumps, aura.db and the log files of a few days: not thousands. */
  maxEntries: number;
  /** One file: a 100 MB log roll or an aura.db of a busy install fits; 4 GB declared does not. */
  maxEntryBytes: number;
  /** Everything together, so a bundle cannot fill the support engineer's disk. */
  maxTotalBytes: number;
  /** Serilog text deflates 10-30x; deflate's own ceiling is ~1000x, reached only by crafted data. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 5_000,
  maxEntryBytes: 2 * 1024 ** 3,
  maxTotalBytes: 8 * 1024 ** 3,
  maxRatio: 200,
};
/** Ratios of tiny files mean nothing (a 0-byte file compresses to 2 bytes): judged from this size on. */
const RATIO_MIN_BYTES = 64 * 1024;
/** Read and inflate in 1 MiB chunks: zlib's 16 KiB default makes 500 MB of logs 32,000 trips through the pipeline. */
const CHUNK_BYTES = 1024 * 1024;
/** Entries up to this size are inflated in one synchronous step (no stream, no thread-pool trips). */
const SMALL_ENTRY_BYTES = 1024 * 1024;
/** The end record is 22 bytes plus a comment of at most 65,535. */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** Made-by hosts whose external attributes carry a Unix mode in the high 16 bits (Unix, macOS). */
const UNIX_HOSTS = new Set([3, 19]);

export interface ZipEntryInfo {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's compressed bytes start in the file. */
  dataStart: number;
}

export interface ExtractedFile {
  name: string;
  bytes: number;
  sha256: string;
}

const bad = (message: string, detail?: string): OpsError =>
  new OpsError(
    'corrupt',
    message,
    detail ?? 'The bundle was not opened and nothing was extracted. Ask for the bundle again.',
  );
const outside = (name: string, why: string): OpsError =>
  new OpsError(
    'forbidden-path',
    `The bundle holds a file named ${JSON.stringify(name)}: ${why}.`,
    'A support bundle made by Aura Ops never does this; it was not opened and nothing was extracted.',
  );

/** The checks on one entry name; returns its path segments. */
export function checkName(name: string): string[] {
  if (name === '') throw outside(name, 'an empty name');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw outside(name, 'its name holds a control character');
  if (name.includes('\\')) throw outside(name, 'its name holds a backslash, a path separator on Windows');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw outside(name, 'it is an absolute path');
  if (name.endsWith('/')) throw outside(name, 'it is a directory entry (a bundle holds only files)');
  const parts = name.split('/');
  if (parts.some((p) => p === '..')) throw outside(name, 'it would leave the bundle folder (..)');
  if (parts.some((p) => p === '' || p === '.')) throw outside(name, 'its name has an empty part');
  return parts;
}

function findEnd(fd: number, size: number): Buffer {
  const len = Math.min(size, EOCD_SEARCH_BYTES);
  const tail = Buffer.alloc(len);
  fs.readSync(fd, tail, 0, len, size - len);
  for (let i = len - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_END && i + 22 + tail.readUInt16LE(i + 20) === len)
      return tail.subarray(i, i + 22);
  }
  throw bad('This file is not a zip archive (no end-of-archive record); is it a whole support bundle?');
}

/** Reads and checks the central directory; throws before anything is written. */
export function readZipDirectory(file: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntryInfo[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const end = findEnd(fd, size);
    if (end.readUInt16LE(4) !== 0 || end.readUInt16LE(6) !== 0)
      throw bad('The zip spans several disks, which a support bundle never does.');
    const count = end.readUInt16LE(10);
    if (end.readUInt16LE(8) !== count || count === 0xffff || end.readUInt32LE(16) === 0xffffffff)
      throw bad('The zip uses ZIP64 or split records, which a support bundle never does.');
    if (count > limits.maxEntries)
      throw bad(`The bundle holds ${count} files; a bundle may hold at most ${limits.maxEntries}.`);
    const cdSize = end.readUInt32LE(12);
    const cdStart = end.readUInt32LE(16);
    if (cdStart + cdSize > size - 22)
      throw bad('The zip is damaged: its directory lies outside the file (truncated?).');
    const cd = Buffer.alloc(cdSize);
    fs.readSync(fd, cd, 0, cdSize, cdStart);
    const entries: ZipEntryInfo[] = [];
    const seen = new Map<string, string>();
    const folders = new Set<string>();
    let total = 0;
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL)
        throw bad(`The zip is damaged: its directory says ${count} files but record ${i + 1} is not there.`);
      const madeBy = cd.readUInt16LE(p + 4) >> 8;
      const flags = cd.readUInt16LE(p + 8);
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      const compressedSize = cd.readUInt32LE(p + 20);
      const entrySize = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const attrs = cd.readUInt32LE(p + 38);
      const localAt = cd.readUInt32LE(p + 42);
      if (p + 46 + nameLen + extraLen + commentLen > cd.length)
        throw bad('The zip is damaged: a directory record runs past the directory.');
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      p += 46 + nameLen + extraLen + commentLen;
      const parts = checkName(name);
      if (flags & 0x0001) throw outside(name, 'it is encrypted');
      if (method !== 0 && method !== 8)
        throw bad(
          `The bundle's ${name} uses compression method ${method}; only stored and deflate are read.`,
        );
      if (UNIX_HOSTS.has(madeBy)) {
        const type = (attrs >>> 16) & S_IFMT;
        if (type === S_IFLNK) throw outside(name, 'it is a symbolic link');
        if (type === S_IFDIR) throw outside(name, 'it is a directory entry (a bundle holds only files)');
        if (type !== 0 && type !== S_IFREG)
          throw outside(
            name,
            `it is not a regular file (a device, fifo or socket: mode ${(attrs >>> 16).toString(8)})`,
          );
      }
      const key = name.toLowerCase();
      if (seen.has(key))
        throw outside(
          name,
          `it is in the zip twice (also as ${JSON.stringify(seen.get(key))}), so which one is read would depend on the tool`,
        );
      seen.set(key, name);
      for (let j = 1; j < parts.length; j++) folders.add(parts.slice(0, j).join('/').toLowerCase());
      if (entrySize > limits.maxEntryBytes)
        throw bad(
          `The bundle's ${name} says it holds ${entrySize} bytes, more than the ${limits.maxEntryBytes} allowed for one file.`,
        );
      total += entrySize;
      if (total > limits.maxTotalBytes)
        throw bad(
          `The bundle's files hold more than ${limits.maxTotalBytes} bytes in all; that is more than a support bundle may unpack to.`,
        );
      if (entrySize >= RATIO_MIN_BYTES && entrySize > compressedSize * limits.maxRatio) {
        throw bad(
          `The bundle's ${name} is compressed ${Math.round(entrySize / Math.max(1, compressedSize))} times (at most ${limits.maxRatio}): a zip bomb, not a log.`,
        );
      }
      if (method === 0 && compressedSize !== entrySize)
        throw bad(
          `The bundle's ${name} is stored, but its two sizes differ (${compressedSize} and ${entrySize}).`,
        );
      // The local header repeats the name; the data follows it and its own extra field.
      const local = Buffer.alloc(30);
      if (
        localAt + 30 > cdStart ||
        fs.readSync(fd, local, 0, 30, localAt) !== 30 ||
        local.readUInt32LE(0) !== SIG_LOCAL
      )
        throw bad(`The zip is damaged: ${name} has no local header where the directory says.`);
      const localName = Buffer.alloc(local.readUInt16LE(26));
      fs.readSync(fd, localName, 0, localName.length, localAt + 30);
      if (localName.toString('utf8') !== name)
        throw outside(name, `its local header names it ${JSON.stringify(localName.toString('utf8'))}`);
      const dataStart = localAt + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (dataStart + compressedSize > cdStart)
        throw bad(`The zip is damaged: ${name}'s data runs into the directory (truncated?).`);
      entries.push({ name, method, crc, compressedSize, size: entrySize, dataStart });
    }
    for (const f of folders)
      if (seen.has(f)) throw outside(seen.get(f) ?? f, 'it is both a file and a folder of the bundle');
    // Two entries over the same bytes: a classic way to multiply one body into many files.
    const byStart = [...entries].sort((a, b) => a.dataStart - b.dataStart);
    for (let i = 1; i < byStart.length; i++) {
      const prev = byStart[i - 1];
      if (byStart[i].dataStart < prev.dataStart + Math.max(1, prev.compressedSize))
        throw bad(
          `The zip's ${prev.name} and ${byStart[i].name} overlap in the file, which an honest zip never does.`,
        );
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

/** Counts, hashes and CRCs what passes; fails as soon as more arrives than declared. */
class Checker extends Transform {
  bytes = 0;
  crc = 0;
  readonly hash = crypto.createHash('sha256');
  constructor(private readonly entry: ZipEntryInfo) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.entry.size) {
      cb(
        bad(
          `The bundle's ${this.entry.name} unpacks to more than the ${this.entry.size} bytes it declares (a zip bomb or a damaged zip).`,
        ),
      );
      return;
    }
    this.hash.update(chunk);
    // node:zlib's native CRC-32 (Node 20.15+), continued chunk by chunk.
    this.crc = zlib.crc32(chunk, this.crc);
    cb(null, chunk);
  }
}

/** What one entry's bytes turned out to be, counted while they were written. */
export interface EntryDigest {
  bytes: number;
  sha256: string;
}

/**
 * The path `name` is written to under `root`, with its parent folders made (0700). Belt and
 * braces after checkName: the resolved path must stay inside the folder.
 */
export function entryTarget(root: string, name: string): string {
  const target = path.resolve(root, ...checkName(name));
  if (!target.startsWith(root + path.sep)) throw outside(name, 'it would leave the bundle folder');
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
  return target;
}

/**
 * Inflates one checked entry of `file` into `target` (a new file, 0600, O_EXCL|O_NOFOLLOW),
 * counting, CRC-checking and hashing every byte on the way; throws a clear OpsError when the
 * entry inflates to more or fewer bytes than declared or fails its CRC. The caller removes the
 * file (or its whole folder) on failure.
 */
export async function extractEntry(file: string, e: ZipEntryInfo, target: string): Promise<EntryDigest> {
  if (e.size <= SMALL_ENTRY_BYTES && e.compressedSize <= SMALL_ENTRY_BYTES)
    return extractSmallEntry(file, e, target);
  const fd = fs.openSync(
    target,
    fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0),
    PRIVATE_FILE_MODE,
  );
  const out = fs.createWriteStream('', { fd, highWaterMark: CHUNK_BYTES });
  const checker = new Checker(e);
  if (e.compressedSize === 0) {
    out.end();
    await new Promise<void>((resolve, reject) => out.once('close', resolve).once('error', reject));
  } else {
    const input = fs.createReadStream(file, {
      start: e.dataStart,
      end: e.dataStart + e.compressedSize - 1,
      highWaterMark: CHUNK_BYTES,
    });
    const stages: NodeJS.ReadWriteStream[] =
      e.method === 8 ? [zlib.createInflateRaw({ chunkSize: CHUNK_BYTES }), checker] : [checker];
    await pipeline(input, ...(stages as [NodeJS.ReadWriteStream]), out).catch((err: unknown) => {
      if (err instanceof OpsError) throw err;
      throw bad(`The bundle's ${e.name} could not be unpacked: ${(err as Error).message}.`);
    });
  }
  if (checker.bytes !== e.size)
    throw bad(`The bundle's ${e.name} unpacks to ${checker.bytes} bytes, not the ${e.size} it declares.`);
  if (checker.crc >>> 0 !== e.crc)
    throw bad(`The bundle's ${e.name} fails its CRC check: the zip is damaged.`);
  return { bytes: checker.bytes, sha256: checker.hash.digest('hex') };
}

/**
 * extractEntry for a small entry, in one synchronous step (a manifest, the recorded sweep, a quiet
 * log): the same checks and words, without a dozen thread-pool trips for a few kilobytes.
 */
function extractSmallEntry(file: string, e: ZipEntryInfo, target: string): EntryDigest {
  const packed = Buffer.alloc(e.compressedSize);
  const zfd = fs.openSync(file, 'r');
  try {
    if (
      e.compressedSize > 0 &&
      fs.readSync(zfd, packed, 0, e.compressedSize, e.dataStart) !== e.compressedSize
    )
      throw bad(`The zip is damaged: ${e.name}'s data is cut short (truncated?).`);
  } finally {
    fs.closeSync(zfd);
  }
  let data: Buffer;
  if (e.method !== 8 || e.compressedSize === 0) data = packed;
  else {
    try {
      // One byte over the declared size is enough to tell a lie; inflate stops there.
      data = zlib.inflateRawSync(packed, { maxOutputLength: e.size + 1 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw bad(
          `The bundle's ${e.name} unpacks to more than the ${e.size} bytes it declares (a zip bomb or a damaged zip).`,
        );
      throw bad(`The bundle's ${e.name} could not be unpacked: ${(err as Error).message}.`);
    }
  }
  if (data.length > e.size)
    throw bad(
      `The bundle's ${e.name} unpacks to more than the ${e.size} bytes it declares (a zip bomb or a damaged zip).`,
    );
  if (data.length !== e.size)
    throw bad(`The bundle's ${e.name} unpacks to ${data.length} bytes, not the ${e.size} it declares.`);
  if (zlib.crc32(data) >>> 0 !== e.crc)
    throw bad(`The bundle's ${e.name} fails its CRC check: the zip is damaged.`);
  const fd = fs.openSync(
    target,
    fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0),
    PRIVATE_FILE_MODE,
  );
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
  } finally {
    fs.closeSync(fd);
  }
  return { bytes: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
}

/** Makes `dest` (which must not exist) owner-only; a bundle is only extracted into a new folder. */
export function makeExtractionDir(dest: string): string {
  const root = path.resolve(dest);
  try {
    fs.mkdirSync(root, { mode: PRIVATE_DIR_MODE });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new OpsError(
        'bad-request',
        `The extraction folder ${root} already exists; a bundle is only extracted into a new folder.`,
      );
    throw err;
  }
  return root;
}

/**
 * Extracts `file` into `dest` (which must not exist; it is created 0700, every file 0600 and
 * opened with O_EXCL|O_NOFOLLOW). On any failure `dest` is removed and the error is thrown.
 */
export async function extractZip(
  file: string,
  dest: string,
  limits: Partial<ZipLimits> = {},
): Promise<{ dir: string; files: ExtractedFile[] }> {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  const entries = readZipDirectory(file, lim);
  const root = makeExtractionDir(dest);
  const files: ExtractedFile[] = [];
  try {
    for (const e of entries) {
      const digest = await extractEntry(file, e, entryTarget(root, e.name));
      files.push({ name: e.name, ...digest });
    }
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    throw err;
  }
  return { dir: root, files };
}

/** sha256 of a whole file, read in 1 MiB chunks. */
export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 }))
    h.update(chunk as Buffer);
  return h.digest('hex');
}
