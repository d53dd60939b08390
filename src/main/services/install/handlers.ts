// Contract handlers of the "install" domain.
import type { BundleVerifyStatus, installChannels } from '../../../shared/contract/install';
import type { HandlersFor } from '../../handler-types';
import type { InstallService } from './service';

/** `openBundle` is the runtime's: it needs the probes service too (the bundle's recorded sweep). */
export function installHandlers(
  svc: InstallService,
  openBundle: (file: string) => Promise<unknown>,
  bundleStatus: () => BundleVerifyStatus | null,
): HandlersFor<keyof typeof installChannels> {
  return {
    'install:list': ({ rescan }) => svc.list(rescan),
    'install:select': ({ id }) => svc.select(id),
    'install:add': ({ dataRoot }) => svc.add(dataRoot),
    'install:override': (o) => svc.override(o),
    'install:open-bundle': async ({ file }) => {
      await openBundle(file);
      return svc.list();
    },
    'install:bundle-status': () => bundleStatus(),
  };
}
