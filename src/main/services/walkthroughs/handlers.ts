// Contract handlers of the "walkthrough" domain.
import type { walkthroughChannels } from '../../../shared/contract/walkthroughs';
import type { HandlersFor } from '../../handler-types';
import type { WalkthroughService } from './service';

export function walkthroughHandlers(svc: WalkthroughService): HandlersFor<keyof typeof walkthroughChannels> {
  return {
    'walkthrough:start': (p) => svc.start(p),
    'walkthrough:list': ({ status, limit }) => svc.list(status, limit),
    'walkthrough:get': ({ id }) => svc.get(id),
    'walkthrough:current': () => ({ id: svc.currentId() }),
    'walkthrough:focus': ({ id }) => ({ id: svc.focus(id) }),
    'walkthrough:record': ({ id, event }) => svc.record(id, event),
    'walkthrough:end': ({ id, status, summary }) => svc.end(id, status, summary),
    'walkthrough:report': ({ id, format }) => svc.report(id, format),
  };
}
