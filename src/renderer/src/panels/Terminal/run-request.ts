// How other panels (the runbook viewer) ask the terminal to run or paste a command: a window event
// the TerminalPanel answers by classifying it and, when it is mutating, asking the operator first.

import type { StepDescriptor } from '../../../../shared/contract/walkthroughs-steps';

export interface TerminalRunRequest {
  command: string;
  /** Preselected action; the confirmation dialog still offers both for a mutating command. */
  mode?: 'run' | 'paste';
  /** A chosen terminal; default: the active one when it is idle, else a new one. */
  sessionId?: string;
  /**
   * A runbook step: sent through walkthrough:run-step under its run id (recorded, checked in main
   * when `check`); a declined confirmation is recorded as declined.
   */
  step?: StepDescriptor & { check: boolean };
}

export const TERMINAL_RUN_EVENT = 'aura-ops:terminal-run';

/** Ask the terminal panel to run `command`; nothing is sent until the panel (and operator) agree. */
export function requestTerminalRun(req: TerminalRunRequest): void {
  window.dispatchEvent(new CustomEvent<TerminalRunRequest>(TERMINAL_RUN_EVENT, { detail: req }));
}
