// Handler table of the logs domain: contract channel -> LogsService call (params arrive validated).
import type { logsChannels } from '../../../shared/contract/logs';
import type { HandlersFor } from '../../handler-types';
import type { LogsService } from './service';

export function logsHandlers(service: LogsService): HandlersFor<keyof typeof logsChannels> {
  return {
    'logs:sources': () => service.sources(),
    'logs:add-root': (p) => service.addRoot(p.path, p.confirm),
    'logs:open-pane': (p) => service.openPane(p),
    'logs:close-pane': (p) => service.closePane(p.paneId),
    'logs:panes': () => service.panesInfo(),
    'logs:page': (p) => service.page(p),
    'logs:search': (p) => service.search(p),
    'logs:seek-time': (p) => service.seekTime(p),
    'logs:error-rate': (p) => service.errorRate(p),
    'logs:histogram': (p) => service.histogram(p),
    'logs:record': (p) => service.record(p),
  };
}
