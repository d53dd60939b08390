// Handlers for the sandbox contract: list scenarios, report the running sandbox, switch scenario.
// The host passes a getter for the sandbox it runs (null when the console is attached elsewhere).
import { OpsError } from '../../shared/errors';
import { SCENARIOS, type SandboxStatus, type sandboxChannels } from '../../shared/contract/sandbox';
import type { HandlersFor } from '../handler-types';
import type { SandboxHandle } from './server';

const NOT_RUNNING: SandboxStatus = {
  running: false,
  dir: null,
  url: null,
  port: null,
  scenario: null,
  listening: false,
  redis: { enabled: false, port: null, running: false },
};

export function sandboxHandlers(
  getSandbox: () => SandboxHandle | null,
): HandlersFor<keyof typeof sandboxChannels> {
  return {
    'sandbox:scenarios': () => [...SCENARIOS],
    'sandbox:status': () => getSandbox()?.status() ?? NOT_RUNNING,
    'sandbox:set-scenario': async ({ name }) => {
      const sb = getSandbox();
      if (!sb) {
        throw new OpsError(
          'unavailable',
          'No demo install is running, so there is no scenario to switch',
          'Scenarios apply to the built-in sandbox only: attach the demo install, or run "aura-ops sandbox run DIR" and switch with "aura-ops sandbox scenario DIR NAME".',
        );
      }
      try {
        await sb.setScenario(name);
      } catch (err) {
        throw new OpsError(
          'internal',
          `The sandbox could not switch to "${name}": ${(err as Error).message}`,
          'Check that the port is free and the sandbox folder is writable, then try again.',
        );
      }
      return sb.status();
    },
  };
}
