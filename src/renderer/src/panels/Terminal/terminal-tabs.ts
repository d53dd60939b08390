// The terminal panel's tab rules as pure functions: which tab is active after a reload or when
// tabs go away, what Split does, which panes are shown and which one Find acts on, which terminal
// takes a run request from another panel, and when closing a tab asks first.
import type { TerminalSessionInfo } from '../../../../shared/contract/terminal';
import type { TerminalRunRequest } from './run-request';

type Tab = Pick<TerminalSessionInfo, 'id' | 'status' | 'busy'>;

/** After a reload: the tab this window had active when it still exists, else the first. */
export function initialActive(
  current: string | null,
  list: readonly Tab[],
  remembered: string | null,
): string | null {
  if (current !== null) return current;
  return list.some((x) => x.id === remembered) ? remembered : (list[0]?.id ?? null);
}

/** Tabs that went away: the active one falls back to the first tab, the split one closes. */
export function reconcileTabs(
  sessions: readonly Tab[],
  activeId: string | null,
  splitId: string | null,
): { activeId: string | null; splitId: string | null } {
  const has = (id: string | null) => id !== null && sessions.some((s) => s.id === id);
  return {
    activeId: activeId !== null && !has(activeId) ? (sessions[0]?.id ?? null) : activeId,
    splitId: has(splitId) ? splitId : null,
  };
}

/** What Split does: close the split, show another existing tab beside the active one, or open one. */
export function splitPlan(
  sessions: readonly Tab[],
  activeId: string | null,
  splitId: string | null,
): { unsplit: true } | { show: string } | { create: true } {
  if (splitId) return { unsplit: true };
  const other = sessions.find((s) => s.id !== activeId);
  return other ? { show: other.id } : { create: true };
}

/**
 * The panes shown (the active one, then the split one when it is another tab) and the pane Find
 * and focus go to: the one the operator is in, else the left one.
 */
export function shownPanes<T extends Tab>(
  sessions: readonly T[],
  activeId: string | null,
  splitId: string | null,
  focusedId: string | null,
): { active: T | null; split: T | null; shownIds: string[]; targetId: string | null } {
  const active = sessions.find((s) => s.id === activeId) ?? null;
  const split = sessions.find((s) => s.id === splitId && s.id !== activeId) ?? null;
  const shownIds = [active?.id, split?.id].filter((x): x is string => !!x);
  const targetId = focusedId && shownIds.includes(focusedId) ? focusedId : (active?.id ?? null);
  return { active, split, shownIds, targetId };
}

/**
 * The terminal a run request goes to: the one it names, else the active one, and only when that
 * is running and idle (a busy or exited one would swallow the keystrokes); null = a new terminal.
 * A request without a command, or with only spaces, is not one.
 */
export function runTarget<T extends Tab>(
  req: Partial<TerminalRunRequest> | null | undefined,
  sessions: readonly T[],
  activeId: string | null,
): { valid: false } | { valid: true; target: T | null } {
  if (!req || typeof req.command !== 'string' || !req.command.trim()) return { valid: false };
  const cur = sessions.find((s) => s.id === (req.sessionId ?? activeId));
  return { valid: true, target: cur && cur.status === 'running' && !cur.busy ? cur : null };
}

/** Closing a tab whose shell runs a command asks first (closing stops it). */
export function closeNeedsConfirm(s: Tab, force: boolean): boolean {
  return !force && s.status === 'running' && s.busy;
}
