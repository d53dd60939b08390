// What a log pane does with a live batch, apart from React: a paused pane counts it, an
// unfiltered pane places its records by position, and a filtered pane asks the server for the
// tail of its view (at most every FILTERED_REFRESH_MS) and drops the answer when the view changed
// while it was on its way, so an old filter's rows never land in the new view's cache.
import type { IndexedRecord, PageResult } from '../../../../shared/contract/logs';

/** Minimum gap between refreshes of a filtered view while following. */
export const FILTERED_REFRESH_MS = 250;

export interface LiveBatch {
  paneId: string;
  records: IndexedRecord[];
  total: number;
}

export interface LiveBatchDeps {
  paneId: string;
  /** Whether the pane's view hides anything (fixed for one handler: a new view makes a new one). */
  filtered: boolean;
  isPaused: () => boolean;
  /** The pane's view key now; compared before and after the filtered refresh. */
  currentKey: () => string;
  /** The last page of the current view (logs:page with fromLine = -BLOCK). */
  fetchTail: () => Promise<PageResult>;
  /** Records arrived while paused. */
  countNew: (n: number) => void;
  /** Unfiltered: the batch's records, at their own positions. */
  placeLive: (records: IndexedRecord[], total: number) => void;
  /** Filtered: the fresh tail of the view the refresh was asked for. */
  placeTail: (page: PageResult) => void;
  onError: (e: unknown) => void;
  now: () => number;
  schedule: (fn: () => void, ms: number) => unknown;
  cancel: (handle: unknown) => void;
}

export class LiveBatchHandler {
  private lastRefresh = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private disposed = false;

  constructor(private readonly d: LiveBatchDeps) {}

  onBatch(b: LiveBatch): void {
    if (this.disposed || b.paneId !== this.d.paneId) return;
    if (this.d.isPaused()) {
      this.d.countNew(b.records.length);
      return;
    }
    if (!this.d.filtered) {
      this.d.placeLive(b.records, b.total);
      return;
    }
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastRefresh + FILTERED_REFRESH_MS - this.d.now());
    this.timer = this.d.schedule(() => {
      this.timer = null;
      this.lastRefresh = this.d.now();
      void this.refresh();
    }, wait);
  }

  /** Stop: a pending refresh is cancelled and an answer still on its way is dropped. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.d.cancel(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    const key = this.d.currentKey();
    let page: PageResult;
    try {
      page = await this.d.fetchTail();
    } catch (e) {
      // Said even for a view left meanwhile, as the pane's other fetches do: the host failed.
      this.d.onError(e);
      return;
    }
    if (this.disposed || key !== this.d.currentKey()) return;
    this.d.placeTail(page);
  }
}
