// A minimal zip writer (deflate via node:zlib, CRC-32 by table) for the support bundle: no new
// dependency, UTF-8 names; in memory (buildZip) or entry by entry into a file (ZipFileWriter). A big
// file can be deflated in independent segments, so a reader can inflate and check its tail alone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { now as clockNow } from '../../../shared/clock';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface ZipEntry {
  name: string;
  data: Buffer | string;
}

/**
 * Where each segment of a segmented entry starts in the entry's stored bytes, and its own sha256:
 * segment i holds the file's bytes [i * bytes, (i + 1) * bytes). Each was deflated on its own and
 * ended with a full flush (byte-aligned, no back-reference into the one before), so the entry is
 * one valid deflate stream that any unzip inflates whole, and any segment also inflates alone from
 * its offset. A stored entry's offsets are the file's own.
 */
export interface SegmentIndex {
  bytes: number;
  at: number[];
  sha256: string[];
}

/** The last block of a segmented stream: empty, fixed Huffman, BFINAL set. */
const FINAL_BLOCK = zlib.deflateRawSync(Buffer.alloc(0));

/** `raw` deflated in independent segments of `segmentBytes`, and where each starts. */
function deflateSegments(
  raw: Buffer,
  segmentBytes: number,
): { body: Buffer; at: number[]; sha256: string[] } {
  const parts: Buffer[] = [];
  const at: number[] = [];
  const sha256: string[] = [];
  let size = 0;
  const count = Math.max(1, Math.ceil(raw.length / segmentBytes));
  for (let i = 0; i < count; i++) {
    const seg = raw.subarray(i * segmentBytes, (i + 1) * segmentBytes);
    const d = zlib.deflateRawSync(seg, { finishFlush: zlib.constants.Z_FULL_FLUSH });
    at.push(size);
    sha256.push(crypto.createHash('sha256').update(seg).digest('hex'));
    parts.push(d);
    size += d.length;
  }
  parts.push(FINAL_BLOCK);
  return { body: Buffer.concat(parts), at, sha256 };
}

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * The zip format, entry by entry, into a sink of bytes: a local header, the name and the body for
 * each entry as it is added, then the central directory and its end record. Entries are deflated
 * whole (one log roll at most), and stored when deflate does not make them smaller.
 */
class ZipAssembler {
  private readonly centrals: Buffer[] = [];
  private offset = 0;
  private count = 0;
  private readonly time: number;
  private readonly date: number;

  constructor(
    private readonly sink: (b: Buffer) => void,
    now: Date,
  ) {
    ({ time: this.time, date: this.date } = dosTime(now));
  }

  /** Adds an entry; with `segmentBytes`, deflated in segments, whose index it returns. */
  add(name: string, data: Buffer | string, segmentBytes?: number): SegmentIndex | null {
    const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const segmented = segmentBytes ? deflateSegments(raw, segmentBytes) : null;
    const deflated = segmented ? segmented.body : zlib.deflateRawSync(raw);
    const useDeflate = deflated.length < raw.length;
    const body = useDeflate ? deflated : raw;
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(raw);
    if (this.offset + body.length > 0xfffffff0 || raw.length > 0xfffffff0)
      throw new Error(`${name}: a bundle over 4 GB needs ZIP64, which this writer does not make`);
    // The local header and the central record share these fields, the central one 2 bytes later
    // (after its "version made by"): version needed, flags (UTF-8 names), method, time, date, CRC,
    // sizes and the name's length.
    const shared = (b: Buffer, at: number) => {
      b.writeUInt16LE(20, at);
      b.writeUInt16LE(0x0800, at + 2);
      b.writeUInt16LE(useDeflate ? 8 : 0, at + 4);
      b.writeUInt16LE(this.time, at + 6);
      b.writeUInt16LE(this.date, at + 8);
      b.writeUInt32LE(crc, at + 10);
      b.writeUInt32LE(body.length, at + 14);
      b.writeUInt32LE(raw.length, at + 18);
      b.writeUInt16LE(nameBuf.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    shared(local, 4);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    shared(central, 6);
    central.writeUInt32LE(this.offset, 42);
    this.sink(local);
    this.sink(nameBuf);
    this.sink(body);
    this.centrals.push(central, nameBuf);
    this.offset += local.length + nameBuf.length + body.length;
    this.count++;
    if (!segmented || !segmentBytes) return null;
    return {
      bytes: segmentBytes,
      at: useDeflate ? segmented.at : segmented.at.map((_, i) => i * segmentBytes),
      sha256: segmented.sha256,
    };
  }

  /** Writes the directory; returns the archive's size. */
  finish(): number {
    const cd = Buffer.concat(this.centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(this.offset, 16);
    this.sink(cd);
    this.sink(end);
    return this.offset + cd.length + end.length;
  }
}

/** The bytes of a zip archive holding `entries`. */
export function buildZip(entries: ZipEntry[], now = clockNow()): Buffer {
  const parts: Buffer[] = [];
  const zip = new ZipAssembler((b) => parts.push(b), now);
  for (const e of entries) zip.add(e.name, e.data);
  zip.finish();
  return Buffer.concat(parts);
}

/**
 * The same zip format written entry by entry into a file, so a bundle with hundreds of MB of logs
 * never holds more than one file in memory.
 */
export class ZipFileWriter {
  private readonly fd: number;
  private readonly zip: ZipAssembler;

  constructor(file: string, mode: number, now = clockNow()) {
    this.fd = fs.openSync(
      file,
      fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0),
      mode,
    );
    this.zip = new ZipAssembler((b) => this.write(b), now);
  }

  add(name: string, data: Buffer | string, segmentBytes?: number): SegmentIndex | null {
    return this.zip.add(name, data, segmentBytes);
  }

  private write(b: Buffer): void {
    let done = 0;
    while (done < b.length) done += fs.writeSync(this.fd, b, done, b.length - done);
  }

  /** Writes the directory and closes the file; returns its size. */
  finish(): number {
    const size = this.zip.finish();
    fs.closeSync(this.fd);
    return size;
  }

  abort(): void {
    fs.closeSync(this.fd);
  }
}
