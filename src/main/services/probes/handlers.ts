// Contract channels of the probes domain, bound to a ProbesService.
import type { probesChannels } from '../../../shared/contract/probes';
import type { HandlersFor } from '../../handler-types';
import type { ProbesService } from './service';

export function probesHandlers(service: ProbesService): HandlersFor<keyof typeof probesChannels> {
  return {
    'probes:sweep': () => service.sweep(),
    'probes:latest': () => service.latest(),
    'probes:history': (p) => service.history(p.probe, p.minutes),
    'probes:config': (p) => service.config(p),
    'probes:triage': () => service.triage(),
    'probes:bundle': (p) => service.bundle(p),
    'probes:bundle-plan': (p) => service.bundlePlan(p),
  };
}
