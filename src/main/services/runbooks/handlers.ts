// Handlers of the "runbooks" contract domain: thin calls into the runbook library (big files are
// parsed on a worker thread first, so the host's main loop never waits on one).
import type { runbooksChannels } from '../../../shared/contract/runbooks';
import type { HandlersFor } from '../../handler-types';
import type { RunbookLibrary } from './library';

export function runbooksHandlers(library: RunbookLibrary): HandlersFor<keyof typeof runbooksChannels> {
  return {
    // Each first lets big files be parsed on the worker thread; the call itself then finds them ready.
    'runbooks:list': async ({ rescan }) => {
      await library.refreshAsync(rescan);
      return library.list(false);
    },
    'runbooks:get': async ({ id }) => {
      await library.refreshAsync();
      return library.get(id);
    },
    'runbooks:search': async ({ q, limit }) => {
      await library.refreshAsync();
      return library.search(q, limit);
    },
    'runbooks:add-folder': ({ path }) => library.addFolderAsync(path),
    'runbooks:remove-folder': ({ id }) => library.removeFolder(id),
    'runbooks:new': (params) => library.create(params),
  };
}
