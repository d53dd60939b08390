// The terminal panel's tab rules: the active tab after a reload and when tabs go away, what Split
// does, which panes show and which one Find acts on, which terminal takes a run request (never a
// busy or exited one), and when closing asks first.
import { describe, expect, it } from 'vitest';
import {
  closeNeedsConfirm,
  initialActive,
  reconcileTabs,
  runTarget,
  shownPanes,
  splitPlan,
} from './terminal-tabs';

const tab = (id: string, over: { status?: 'running' | 'exited'; busy?: boolean } = {}) => ({
  id,
  status: over.status ?? ('running' as const),
  busy: over.busy ?? false,
});
const A = tab('a');
const B = tab('b');
const C = tab('c');

describe('initialActive', () => {
  it('keeps a tab already chosen, else the remembered one when it exists, else the first', () => {
    expect(initialActive('b', [A, B], 'a')).toBe('b');
    expect(initialActive(null, [A, B], 'b')).toBe('b');
    expect(initialActive(null, [A, B], 'gone')).toBe('a');
    expect(initialActive(null, [A, B], null)).toBe('a');
    expect(initialActive(null, [], 'a')).toBeNull();
  });
});

describe('reconcileTabs', () => {
  it('moves the active tab to the first one when it went away, and closes a split that went away', () => {
    expect(reconcileTabs([B, C], 'a', 'x')).toEqual({ activeId: 'b', splitId: null });
    expect(reconcileTabs([], 'a', 'b')).toEqual({ activeId: null, splitId: null });
  });

  it('changes nothing while both still exist', () => {
    expect(reconcileTabs([A, B], 'a', 'b')).toEqual({ activeId: 'a', splitId: 'b' });
    expect(reconcileTabs([A], null, null)).toEqual({ activeId: null, splitId: null });
  });
});

describe('splitPlan', () => {
  it('unsplits a split panel', () => {
    expect(splitPlan([A, B], 'a', 'b')).toEqual({ unsplit: true });
  });

  it('shows another existing tab beside the active one, or asks for a new terminal', () => {
    expect(splitPlan([A, B, C], 'b', null)).toEqual({ show: 'a' });
    expect(splitPlan([A], 'a', null)).toEqual({ create: true });
  });
});

describe('shownPanes', () => {
  it('shows the active pane and the split one, left to right', () => {
    const s = shownPanes([A, B, C], 'c', 'a', null);
    expect(s.shownIds).toEqual(['c', 'a']);
    expect(s.targetId).toBe('c');
  });

  it('does not show the active tab twice when the split names it', () => {
    expect(shownPanes([A, B], 'a', 'a', null).shownIds).toEqual(['a']);
  });

  it('sends Find to the pane the operator is in, only while it is shown', () => {
    expect(shownPanes([A, B, C], 'a', 'b', 'b').targetId).toBe('b');
    expect(shownPanes([A, B, C], 'a', 'b', 'c').targetId).toBe('a');
    expect(shownPanes([], null, null, 'c').targetId).toBeNull();
  });
});

describe('runTarget', () => {
  it('gives the request to the active terminal when it is idle', () => {
    expect(runTarget({ command: 'ls' }, [A, B], 'b')).toEqual({ valid: true, target: B });
  });

  it('gives it to the named terminal over the active one', () => {
    expect(runTarget({ command: 'ls', sessionId: 'a' }, [A, B], 'b')).toEqual({ valid: true, target: A });
  });

  it('opens a new terminal rather than typing into a busy, exited or unknown one', () => {
    const busy = tab('a', { busy: true });
    const exited = tab('b', { status: 'exited' });
    expect(runTarget({ command: 'ls' }, [busy], 'a')).toEqual({ valid: true, target: null });
    expect(runTarget({ command: 'ls' }, [exited], 'b')).toEqual({ valid: true, target: null });
    expect(runTarget({ command: 'ls', sessionId: 'nope' }, [A], 'a')).toEqual({ valid: true, target: null });
  });

  it('is no request without a command, with only spaces, or not a string', () => {
    expect(runTarget(null, [A], 'a')).toEqual({ valid: false });
    expect(runTarget(undefined, [A], 'a')).toEqual({ valid: false });
    expect(runTarget({ command: ' \n\t' }, [A], 'a')).toEqual({ valid: false });
    expect(runTarget({ command: 42 } as unknown as { command: string }, [A], 'a')).toEqual({ valid: false });
  });
});

describe('closeNeedsConfirm', () => {
  it('asks only while a command runs, and not when forced', () => {
    expect(closeNeedsConfirm(tab('a', { busy: true }), false)).toBe(true);
    expect(closeNeedsConfirm(tab('a', { busy: true }), true)).toBe(false);
    expect(closeNeedsConfirm(tab('a'), false)).toBe(false);
    expect(closeNeedsConfirm(tab('a', { status: 'exited', busy: true }), false)).toBe(false);
  });
});
