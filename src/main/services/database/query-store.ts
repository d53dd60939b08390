// The SQL console's history and saved queries, kept in <dataDir>/db-console.json (the console's own
// data dir, never the install's). Written atomically (temp file + rename); may move into ops.db later.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpsError } from '../../../shared/errors';
import type { HistoryEntry, SavedQuery } from '../../../shared/contract/database';

/** Enough to find last week's queries; the file stays small (< ~1 MB even with long SQL). */
export const HISTORY_MAX = 200;
/** Saved queries are hand-named; a cap only guards against a runaway client. */
export const SAVED_MAX = 500;

interface FileShape {
  version: 1;
  history: HistoryEntry[];
  saved: SavedQuery[];
}

export class QueryStore {
  readonly file: string;
  private data: FileShape | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'db-console.json');
  }

  private async load(): Promise<FileShape> {
    if (this.data) return this.data;
    let text: string | null = null;
    try {
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new OpsError('unavailable', `Cannot read ${this.file}: ${(err as Error).message}`, 'Check the permissions of the console data folder.');
      }
    }
    if (text === null) {
      this.data = { version: 1, history: [], saved: [] };
      return this.data;
    }
    try {
      const parsed = JSON.parse(text) as Partial<FileShape>;
      this.data = {
        version: 1,
        history: Array.isArray(parsed.history) ? parsed.history : [],
        saved: Array.isArray(parsed.saved) ? parsed.saved : [],
      };
    } catch (err) {
      throw new OpsError(
        'corrupt',
        `The SQL console's history file ${this.file} is not valid JSON`,
        `${(err as Error).message}. Move the file aside to start with an empty history.`,
      );
    }
    return this.data;
  }

  private persist(): Promise<void> {
    const snapshot = JSON.stringify(this.data, null, 1);
    const tmp = `${this.file}.${process.pid}.tmp`;
    this.writing = this.writing.then(async () => {
      await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
      await fs.promises.writeFile(tmp, snapshot);
      await fs.promises.rename(tmp, this.file);
    });
    return this.writing;
  }

  async history(): Promise<HistoryEntry[]> {
    return [...(await this.load()).history];
  }

  async record(entry: Omit<HistoryEntry, 'id' | 'at'>): Promise<HistoryEntry> {
    const data = await this.load();
    const full: HistoryEntry = { id: randomUUID(), at: new Date().toISOString(), ...entry };
    data.history.unshift(full);
    data.history.length = Math.min(data.history.length, HISTORY_MAX);
    await this.persist();
    return full;
  }

  async clearHistory(): Promise<HistoryEntry[]> {
    const data = await this.load();
    data.history = [];
    await this.persist();
    return [];
  }

  async saved(): Promise<SavedQuery[]> {
    return [...(await this.load()).saved];
  }

  async save(name: string, sql: string): Promise<SavedQuery[]> {
    const data = await this.load();
    const rest = data.saved.filter((q) => q.name !== name);
    if (rest.length >= SAVED_MAX) {
      throw new OpsError('bad-request', `There are already ${SAVED_MAX} saved queries`, 'Delete some before saving more.');
    }
    data.saved = [...rest, { name, sql, savedAt: new Date().toISOString() }].sort((a, b) => a.name.localeCompare(b.name));
    await this.persist();
    return [...data.saved];
  }

  async remove(name: string): Promise<SavedQuery[]> {
    const data = await this.load();
    const before = data.saved.length;
    data.saved = data.saved.filter((q) => q.name !== name);
    if (data.saved.length === before) throw new OpsError('not-found', `No saved query named "${name}"`, 'Refresh the list.');
    await this.persist();
    return [...data.saved];
  }
}
