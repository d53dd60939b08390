// When an opened bundle's background work may start: once the console has stopped asking for its
// first paint. The zip's sha256 and the verification past the first paint's files run on a worker
// thread and libuv's pool; started with the open, they took the CPU the first panes' reads needed
// (bench/bundle, two cores). Shut while the bundle opens; once it is attached (`start`), requests
// keep it shut until none came for `quietMs`, and it opens `maxMs` after that whatever arrives, so
// a console that polls never holds it for long.

export class QuietGate {
  /** Resolves when the gate opens. */
  readonly opened: Promise<void>;
  private resolve: () => void = () => {};
  private quiet: NodeJS.Timeout | null = null;
  private cap: NodeJS.Timeout | null = null;
  private isOpen = false;
  private isCancelled = false;

  constructor(
    private readonly quietMs: number,
    private readonly maxMs: number,
  ) {
    this.opened = new Promise<void>((r) => {
      this.resolve = r;
    });
  }

  /** The bundle is attached: the quiet time and the limit start now. */
  start(): void {
    if (this.isOpen || this.cap) return;
    this.cap = setTimeout(() => this.open(), this.maxMs);
    this.touch();
  }

  get isOpened(): boolean {
    return this.isOpen;
  }

  /** Opened because what it held is no longer wanted: the work it held must not start. */
  get cancelled(): boolean {
    return this.isCancelled;
  }

  /** A request arrived: the quiet time starts again (nothing before start or once open). */
  touch(): void {
    if (this.isOpen || !this.cap) return;
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.open(), this.quietMs);
  }

  /** Opens for good with nothing to do (the bundle was refused or closed, the console stops). */
  cancel(): void {
    this.isCancelled = true;
    this.open();
  }

  /** Opens now (the time is up). */
  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    if (this.quiet) clearTimeout(this.quiet);
    if (this.cap) clearTimeout(this.cap);
    this.quiet = null;
    this.cap = null;
    this.resolve();
  }
}
