// Contract handlers of the "app" domain: what the console is, its UI settings, opening links.
import type { AppInfo, appChannels, UiSettings } from '../../../shared/contract/app';
import type { HandlersFor } from '../../handler-types';
import type { OpsStore } from '../store/store';

export interface AppDeps {
  info: () => AppInfo;
  /** Open an http(s) URL in the OS browser; false when the host leaves it to the renderer. */
  openExternal: (url: string) => Promise<boolean>;
}

const KEY_UI = 'ui.settings';

export const DEFAULT_UI: UiSettings = {
  theme: 'dark',
  layout: { leftWidth: 0.3, sideWidth: 0.3, bottomHeight: 0.48 },
  welcomeDismissed: false,
};

export function appHandlers(deps: AppDeps, store: OpsStore): HandlersFor<keyof typeof appChannels> {
  const read = (): UiSettings => {
    const saved = store.getSetting<Partial<UiSettings>>(KEY_UI) ?? {};
    return { ...DEFAULT_UI, ...saved, layout: { ...DEFAULT_UI.layout, ...(saved.layout ?? {}) } };
  };
  return {
    'app:info': () => deps.info(),
    'app:get-ui-settings': () => read(),
    'app:set-ui-settings': (patch) => {
      const cur = read();
      const next: UiSettings = {
        theme: patch.theme ?? cur.theme,
        layout: patch.layout ?? cur.layout,
        welcomeDismissed: patch.welcomeDismissed ?? cur.welcomeDismissed,
      };
      store.setSetting(KEY_UI, next);
      return next;
    },
    'app:open-external': async ({ url }) => ({ opened: await deps.openExternal(url) }),
  };
}
