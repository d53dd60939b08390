// The output a terminal session keeps for a renderer that (re)attaches: the newest chars up to a
// limit, so a reattach shows what scrolled by while no renderer watched.

/** Bounded list of output chunks, trimmed from the front by total char count. */
export class ReplayBuffer {
  private chunks: string[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}

  push(data: string): void {
    if (data.length >= this.limit) {
      this.chunks = [data.slice(data.length - this.limit)];
      this.size = this.limit;
      this.truncated = true;
      return;
    }
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.limit && this.chunks.length) {
      const first = this.chunks[0];
      const over = this.size - this.limit;
      if (first.length <= over) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.slice(over);
        this.size -= over;
      }
      this.truncated = true;
    }
  }

  /** The retained output; when older output was dropped, starts at a line boundary. */
  text(): string {
    const all = this.chunks.join('');
    this.chunks = [all];
    if (!this.truncated) return all;
    const nl = all.indexOf('\n');
    return nl >= 0 && nl < 4096 ? all.slice(nl + 1) : all;
  }

  get chars(): number {
    return this.size;
  }
}
