// Contract handlers of the "database" domain (db:*): thin calls into the DatabaseService.
import type { databaseChannels } from '../../../shared/contract/database';
import type { HandlersFor } from '../../handler-types';
import type { DatabaseService } from './service';

export function databaseHandlers(svc: DatabaseService): HandlersFor<keyof typeof databaseChannels> {
  return {
    'db:overview': () => svc.overview(),
    'db:tables': () => svc.tables(),
    'db:lock': () => svc.lockState(),
    'db:count': ({ table, requestId, timeoutMs }) => svc.count(table, { requestId, timeoutMs }),
    'db:rows': (p) => svc.rows(p),
    'db:query': (p) => svc.query(p),
    'db:cancel': ({ requestId }) => svc.cancel(requestId),
    'db:explain': ({ sql, params }) => svc.explain(sql, params),
    'db:views': () => svc.views(),
    'db:view': (p) => svc.view(p),
    'db:check': ({ kind, jobId }) => svc.check(kind, jobId),
    'db:backup': ({ jobId, name }) => svc.backup({ jobId, name }),
    'db:history': () => svc.history(),
    'db:clear-history': () => svc.clearHistory(),
    'db:saved-queries': () => svc.savedQueries(),
    'db:save-query': ({ name, sql }) => svc.saveQuery(name, sql),
    'db:delete-query': ({ name }) => svc.deleteQuery(name),
  };
}
