// Owns the list of install candidates, which one is attached, and the operator's additions and
// overrides (persisted in ops.db), and tells the renderer when any of it changes.
import os from 'node:os';
import path from 'node:path';
import type { InstallList } from '../../../shared/contract/install';
import { OpsError } from '../../../shared/errors';
import type { InstallCandidate } from '../../../shared/install-types';
import type { OpsStore } from '../store/store';
import { discoverInstalls, type DiscoverEnv, type InstallOverrides } from './discover';

const KEY_SELECTED = 'install.selected';
const KEY_MANUAL = 'install.manualRoots';
const KEY_OVERRIDES = 'install.overrides';

export interface InstallServiceOptions {
  store: OpsStore;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
  /** `--install DIR` on the command line: added and attached for this run. */
  explicitRoot?: string | null;
  onChange?: (list: InstallList) => void;
}

export class InstallService {
  private candidates: InstallCandidate[] = [];
  private selectedId: string | null = null;
  private sandboxRoot: string | null = null;
  /** An opened support bundle: listed first and attached while it is open (never saved). */
  private bundle: InstallCandidate | null = null;
  private readonly de: DiscoverEnv;
  private readonly store: OpsStore;
  private readonly onChange: (list: InstallList) => void;

  constructor(opts: InstallServiceOptions) {
    this.store = opts.store;
    this.onChange = opts.onChange ?? (() => undefined);
    this.de = {
      env: opts.env ?? process.env,
      platform: opts.platform ?? process.platform,
      home: opts.home ?? os.homedir(),
    };
    if (opts.explicitRoot) {
      const root = path.resolve(opts.explicitRoot);
      this.addManualRoot(root);
      this.rescan();
      this.selectedId = this.candidates.find((c) => c.paths.dataRoot === root)?.id ?? null;
      this.store.setSetting(KEY_SELECTED, this.selectedId);
    } else {
      this.rescan();
    }
  }

  /** Attach the built-in demo install (it joins the candidates; selected when nothing else is). */
  setSandboxRoot(root: string | null, select: boolean): InstallList {
    this.sandboxRoot = root ? path.resolve(root) : null;
    this.rescan();
    if (select && this.sandboxRoot) {
      const c = this.candidates.find((x) => x.kind === 'sandbox');
      if (c) this.selectedId = c.id;
    }
    return this.publish();
  }

  /** Attach an opened support bundle (read-only); it replaces the one opened before. */
  setBundle(candidate: InstallCandidate): InstallList {
    this.bundle = candidate;
    this.rescan();
    this.selectedId = candidate.id;
    return this.publish();
  }

  /** The attached bundle's candidate changed (its zip's sha256 became known): same id, same selection. */
  updateBundle(candidate: InstallCandidate): InstallList | null {
    if (this.bundle?.id !== candidate.id) return null;
    this.bundle = candidate;
    this.candidates = this.candidates.map((c) => (c.id === candidate.id ? candidate : c));
    return this.publish();
  }

  /** Detach the opened bundle (it was closed): the list goes back to the installs on this machine. */
  clearBundle(): InstallList {
    const id = this.bundle?.id ?? null;
    this.bundle = null;
    if (id !== null && this.selectedId === id) this.selectedId = null;
    return this.publish(true);
  }

  list(rescan = false): InstallList {
    if (rescan) this.rescan();
    return { candidates: this.candidates, selectedId: this.selectedId };
  }

  current(): InstallCandidate | null {
    return this.candidates.find((c) => c.id === this.selectedId) ?? null;
  }

  /** True when some real (non-demo) install holds data. */
  hasRealInstall(): boolean {
    return this.candidates.some((c) => c.kind !== 'sandbox' && c.found);
  }

  select(id: string): InstallList {
    if (!this.candidates.some((c) => c.id === id)) {
      throw new OpsError(
        'not-found',
        `No install candidate with id ${id}`,
        'Rescan the installs and pick one from the list.',
      );
    }
    this.selectedId = id;
    this.store.setSetting(KEY_SELECTED, id);
    return this.publish();
  }

  add(dataRoot: string): InstallList {
    const root = path.resolve(dataRoot);
    this.addManualRoot(root);
    this.rescan();
    const c = this.candidates.find((x) => x.kind === 'manual' && x.paths.dataRoot === root);
    if (c) {
      this.selectedId = c.id;
      this.store.setSetting(KEY_SELECTED, c.id);
    }
    return this.publish();
  }

  override(o: InstallOverrides): InstallList {
    const cur = this.current();
    if (!cur) throw new OpsError('unavailable', 'No install is attached', 'Pick or add an install first.');
    const all = this.store.getSetting<Record<string, InstallOverrides>>(KEY_OVERRIDES) ?? {};
    const next: InstallOverrides = { ...(all[cur.id] ?? {}) };
    for (const k of ['logsDir', 'dbPath', 'apiUrl'] as const) {
      const v = o[k];
      if (v === undefined) continue;
      if (v === '') delete next[k];
      else next[k] = v;
    }
    if (next.apiUrl !== undefined && !/^https?:\/\/[^/\s]+/i.test(next.apiUrl)) {
      throw new OpsError(
        'bad-request',
        `Not an http(s) URL: ${next.apiUrl}`,
        'Write it like http://127.0.0.1:5005',
      );
    }
    all[cur.id] = next;
    this.store.setSetting(KEY_OVERRIDES, all);
    return this.publish(true);
  }

  private addManualRoot(root: string): void {
    const roots = this.store.getSetting<string[]>(KEY_MANUAL) ?? [];
    if (!roots.includes(root)) this.store.setSetting(KEY_MANUAL, [...roots, root]);
  }

  private rescan(): void {
    const overrides = this.store.getSetting<Record<string, InstallOverrides>>(KEY_OVERRIDES) ?? {};
    this.candidates = discoverInstalls(this.de, {
      manualRoots: this.store.getSetting<string[]>(KEY_MANUAL) ?? [],
      sandboxRoot: this.sandboxRoot,
      overrides,
    });
    if (this.bundle) this.candidates.unshift(this.bundle);
    const saved = this.selectedId ?? this.store.getSetting<string | null>(KEY_SELECTED) ?? null;
    if (saved && this.candidates.some((c) => c.id === saved)) this.selectedId = saved;
    else this.selectedId = this.candidates.find((c) => c.found && c.kind !== 'sandbox')?.id ?? null;
  }

  private publish(rescan = false): InstallList {
    if (rescan) this.rescan();
    const list = this.list();
    this.onChange(list);
    return list;
  }
}
