// Contract handlers of the "install" domain.
import type { installChannels } from '../../../shared/contract/install';
import type { HandlersFor } from '../../handler-types';
import type { InstallService } from './service';

export function installHandlers(svc: InstallService): HandlersFor<keyof typeof installChannels> {
  return {
    'install:list': ({ rescan }) => svc.list(rescan),
    'install:select': ({ id }) => svc.select(id),
    'install:add': ({ dataRoot }) => svc.add(dataRoot),
    'install:override': (o) => svc.override(o),
  };
}
