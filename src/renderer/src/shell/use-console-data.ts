// What the shell reads from the back end: the console's info (its wired features), the UI settings
// (applied as the page theme) and the install list, read again after every reconnect and kept
// current by install:changed; the connection state; and why the first read failed, if it did.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, UiSettings } from '../../../shared/contract/app';
import type { InstallList } from '../../../shared/contract/install';
import { api, type ConnectionState } from '../transport';

export interface ConsoleData {
  info: AppInfo | null;
  ui: UiSettings | null;
  installs: InstallList | null;
  setInstalls: (l: InstallList) => void;
  conn: ConnectionState;
  /** Why the back end could not be read (cleared by the next read that works). */
  fatal: string | null;
  /** Saves part of the UI settings and takes what was saved. */
  saveUi: (patch: Partial<UiSettings>) => Promise<void>;
}

/** `onNoInstall` runs after each read that finds no install attached (the shell shows the Install tab). */
export function useConsoleData(onNoInstall: () => void): ConsoleData {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [ui, setUi] = useState<UiSettings | null>(null);
  const [installs, setInstalls] = useState<InstallList | null>(null);
  const [conn, setConn] = useState<ConnectionState>('connecting');
  const [fatal, setFatal] = useState<string | null>(null);
  const noInstall = useRef(onNoInstall);
  noInstall.current = onNoInstall;

  const load = useCallback(async () => {
    try {
      const [i, u, l] = await Promise.all([
        api.invoke('app:info', {}),
        api.invoke('app:get-ui-settings', {}),
        api.invoke('install:list', {}),
      ]);
      setInfo(i);
      setUi(u);
      setInstalls(l);
      if (!l.selectedId) noInstall.current();
      setFatal(null);
    } catch (err) {
      setFatal((err as Error).message);
    }
  }, []);

  useEffect(() => {
    void load();
    const offConn = api.onConnection((s) => {
      setConn(s);
      if (s === 'open') void load();
    });
    const offInstall = api.on('install:changed', setInstalls);
    return () => {
      offConn();
      offInstall();
    };
  }, [load]);

  useEffect(() => {
    document.documentElement.dataset.theme = ui?.theme ?? 'dark';
  }, [ui?.theme]);

  const saveUi = useCallback(async (patch: Partial<UiSettings>) => {
    setUi(await api.invoke('app:set-ui-settings', patch));
  }, []);

  return { info, ui, installs, setInstalls, conn, fatal, saveUi };
}
