// Test helper: a zip writer that can lie (names, modes, declared sizes, CRCs, shared data), to
// build the hostile archives the bundle reader must refuse. Not used by the product.
import zlib from 'node:zlib';
import { crc32 } from '../probes/zip';

export interface CraftEntry {
  name: string;
  data: Buffer | string;
  /** Unix mode in the external attributes (made-by host 3); default a regular file 0644. */
  mode?: number;
  /** Store instead of deflate. */
  store?: boolean;
  /** Declared uncompressed size (default the real one). */
  declaredSize?: number;
  /** Declared CRC (default the real one). */
  crc?: number;
  /** General-purpose flags (default 0x0800, UTF-8 names). */
  flags?: number;
  /** Point this entry's central record at the data of the entry with this index (overlap). */
  sameDataAs?: number;
}

export function craftZip(entries: CraftEntry[], opts: { countOverride?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  entries.forEach((e) => {
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    const body = e.store ? raw : zlib.deflateRawSync(raw, { level: 9 });
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? crc32(raw);
    const size = e.declaredSize ?? raw.length;
    const flags = e.flags ?? 0x0800;
    const method = e.store ? 0 : 8;
    let at = offset;
    if (e.sameDataAs === undefined) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      locals.push(local, name, body);
      offset += 30 + name.length + body.length;
    } else {
      at = offsets[e.sameDataAs];
    }
    offsets.push(at);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(at, 42);
    centrals.push(central, name);
  });
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  const count = opts.countOverride ?? entries.length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
