// Contract channels of the terminal domain, bound to a TerminalService.
import type { terminalChannels } from '../../../shared/contract/terminal';
import type { HandlersFor } from '../../handler-types';
import type { TerminalService } from './service';

export function terminalHandlers(service: TerminalService): HandlersFor<keyof typeof terminalChannels> {
  return {
    'terminal:create': (p) => service.create(p),
    'terminal:list': () => service.list(),
    'terminal:write': (p) => service.write(p.sessionId, p.data),
    'terminal:resize': (p) => service.resize(p.sessionId, p.cols, p.rows),
    'terminal:ack': (p) => service.ack(p.sessionId, p.chars),
    'terminal:kill': (p) => service.kill(p.sessionId, p.remove),
    'terminal:rename': (p) => service.rename(p.sessionId, p.title),
    'terminal:run': (p) => service.run(p),
    'terminal:replay': (p) => service.replay(p.sessionId),
    'terminal:classify': (p) => service.classify(p.command),
    'terminal:settings': (p) => (p.set ? service.updateSettings(p.set) : service.settings()),
  };
}
