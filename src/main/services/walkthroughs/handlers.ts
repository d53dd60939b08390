// Contract handlers of the "walkthrough" domain. A step run goes to the terminal through here, so
// its entry is written (under its run id) before the command is sent.
import type { walkthroughChannels } from '../../../shared/contract/walkthroughs';
import type { HandlersFor } from '../../handler-types';
import type { TerminalService } from '../terminal/service';
import type { WalkthroughService } from './service';

export function walkthroughHandlers(
  svc: WalkthroughService,
  terminal: TerminalService,
): HandlersFor<keyof typeof walkthroughChannels> {
  return {
    'walkthrough:start': (p) => svc.start(p),
    'walkthrough:list': ({ status, limit }) => svc.list(status, limit),
    'walkthrough:get': ({ id }) => svc.get(id),
    'walkthrough:current': () => ({ id: svc.currentId() }),
    'walkthrough:focus': ({ id, from }) => ({ id: svc.focus(id, from) }),
    'walkthrough:record': ({ id, event }) => svc.record(id, event),
    'walkthrough:run-step': async ({ step, mode, terminalId, confirmed }) => {
      const r = await svc.runStep(step, mode, () =>
        terminal.run({
          command: step.command,
          mode: mode === 'paste' ? 'paste' : 'run',
          confirmed,
          runId: step.runId,
          ...(terminalId ? { sessionId: terminalId } : {}),
        }),
      );
      return { runId: step.runId, terminalId: r.sessionId, mode: r.mode };
    },
    'walkthrough:step-not-run': ({ step, outcome, reason }) => svc.stepNotRun(step, outcome, reason),
    'walkthrough:milestone': ({ id, milestone, at, reason }) => svc.setMilestone(id, milestone, at, reason),
    'walkthrough:impact-start': ({ id, at, reason }) => svc.setImpactStart(id, at, reason),
    'walkthrough:verify': ({ id }) => svc.verify(id),
    'walkthrough:begin': ({ id, takeRecordingFrom, timeZone }) =>
      svc.begin(id, takeRecordingFrom ?? null, timeZone),
    'walkthrough:end': ({ id, ...rest }) => svc.end(id, rest),
    'walkthrough:contacts': ({ set }) => (set ? svc.setContacts(set) : svc.contacts()),
    'walkthrough:report': ({ id, format }) => svc.report(id, format),
    'walkthrough:override': (o) => svc.overridePreconditions(o),
  };
}
