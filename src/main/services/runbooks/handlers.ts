// Handlers of the "runbooks" contract domain: thin calls into the runbook library.
import type { runbooksChannels } from '../../../shared/contract/runbooks';
import type { HandlersFor } from '../../handler-types';
import type { RunbookLibrary } from './library';

export function runbooksHandlers(library: RunbookLibrary): HandlersFor<keyof typeof runbooksChannels> {
  return {
    'runbooks:list': ({ rescan }) => library.list(rescan),
    'runbooks:get': ({ id }) => library.get(id),
    'runbooks:search': ({ q, limit }) => library.search(q, limit),
    'runbooks:add-folder': ({ path }) => library.addFolder(path),
    'runbooks:remove-folder': ({ id }) => library.removeFolder(id),
    'runbooks:new': (params) => library.create(params),
  };
}
