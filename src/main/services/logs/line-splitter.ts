// Byte-level line splitting for tailed files: holds a partial last line until its newline,
// strips CRLF and a leading UTF-8 BOM, decodes each complete line on its own (invalid bytes
// become U+FFFD, never dropped) and cuts giant lines for display while counting their bytes.

/** Bytes of one line kept for display; longer lines are cut and flagged (whole on demand). */
export const MAX_DISPLAY_LINE_BYTES = 64 * 1024;

export interface SplitLine {
  text: string;
  /** Byte offset of the line's first byte in the file. */
  offset: number;
  /** Bytes in the line without its terminator. */
  byteLength: number;
  truncated: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Back off a cut so it does not split a UTF-8 sequence. */
function utf8Boundary(buf: Uint8Array, end: number): number {
  let i = end;
  // Step back over continuation bytes (10xxxxxx) to the lead byte, then drop the lead too.
  let back = 0;
  while (i > 0 && back < 4 && (buf[i - 1] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i > 0 && buf[i - 1] >= 0xc0) {
    const lead = buf[i - 1];
    const need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
    if (back < need) return i - 1;
  }
  return end;
}

export function decodeLine(bytes: Uint8Array, atFileStart: boolean): string {
  let b = bytes;
  if (atFileStart && b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  if (b.length > 0 && b[b.length - 1] === 0x0d) b = b.subarray(0, b.length - 1);
  return decoder.decode(b);
}

export class LineSplitter {
  /** Kept bytes of the current partial line (at most MAX_DISPLAY_LINE_BYTES + 1). */
  private parts: Buffer[] = [];
  private keptBytes = 0;
  /** All bytes of the partial line seen so far, kept or not. */
  private lineBytes = 0;
  private lineStart: number;

  constructor(
    startOffset = 0,
    private readonly maxLineBytes = MAX_DISPLAY_LINE_BYTES,
  ) {
    this.lineStart = startOffset;
  }

  /** Bytes of a partial line waiting for its newline. */
  get pendingBytes(): number {
    return this.lineBytes;
  }

  /** File offset the next fed byte belongs to. */
  get position(): number {
    return this.lineStart + this.lineBytes;
  }

  /** Feed the next bytes of the file (contiguous with the previous feed). */
  feed(chunk: Buffer): SplitLine[] {
    const out: SplitLine[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(0x0a, pos);
      const end = nl < 0 ? chunk.length : nl;
      this.keep(chunk, pos, end);
      if (nl < 0) break;
      out.push(this.finishLine());
      this.lineStart += 1; // the newline byte
      pos = nl + 1;
    }
    return out;
  }

  /** Emit the partial line as a complete one (the file ended for good, or was truncated). */
  flushPartial(): SplitLine | null {
    if (this.lineBytes === 0) return null;
    return this.finishLine();
  }

  /** Start over at a new offset, dropping any partial line (caller flushed it first). */
  reset(offset: number): void {
    this.parts = [];
    this.keptBytes = 0;
    this.lineBytes = 0;
    this.lineStart = offset;
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    const room = this.maxLineBytes + 1 - this.keptBytes;
    if (room > 0) {
      const take = Math.min(room, n);
      // Copy: the caller reuses its read buffer.
      this.parts.push(Buffer.from(chunk.subarray(from, from + take)));
      this.keptBytes += take;
    }
    this.lineBytes += n;
  }

  private finishLine(): SplitLine {
    const all = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    const byteLength = this.lineBytes;
    let bytes: Uint8Array = all;
    let truncated = false;
    // A CR right before the newline is part of the terminator, not the text.
    const effective =
      byteLength > 0 && all.length === byteLength && all[all.length - 1] === 0x0d
        ? byteLength - 1
        : byteLength;
    if (effective > this.maxLineBytes) {
      truncated = true;
      bytes = all.subarray(0, utf8Boundary(all, this.maxLineBytes));
    }
    const line: SplitLine = {
      text: decodeLine(bytes, this.lineStart === 0),
      offset: this.lineStart,
      byteLength,
      truncated,
    };
    this.lineStart += byteLength;
    this.parts = [];
    this.keptBytes = 0;
    this.lineBytes = 0;
    return line;
  }
}
