// Turns a recorded session into an incident report: Markdown for the post-mortem (timeline in
// order, exit codes and outputs, checklist, notes and deviations, probe snapshots, pinned log
// records, the escalation levels the session reached) and JSON for tools.
import type { SessionDetail, SessionEvent } from '../../../shared/contract/walkthroughs';
import { ESCALATION_LEVELS, SEVERITY_LEVELS } from '../../../shared/handbook';

/** A fence longer than any backtick run inside `text`, so pasted output cannot break the report. */
export function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n+$/, '')}\n${f}`;
}

/** Inline code that survives backticks in the command. */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ⏎ ');
  const longest = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${oneLine.startsWith('`') || oneLine.endsWith('`') ? ` ${oneLine} ` : oneLine}${f}`;
}

/** Markdown table cells and headings must not be able to inject structure. */
function plain(text: string): string {
  return text.replace(/[\\|*_[\]<>#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function isoLocal(ms: number, timeZone?: string): string {
  const d = new Date(ms);
  if (!timeZone) {
    const off = -d.getTimezoneOffset();
    const sign = off >= 0 ? '+' : '-';
    const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
    const mm = String(Math.abs(off) % 60).padStart(2, '0');
    const local = new Date(ms + off * 60_000).toISOString().replace('Z', '').slice(0, 19).replace('T', ' ');
    return `${local} ${sign}${hh}:${mm}`;
  }
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(d);
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function describe(e: SessionEvent): string {
  switch (e.type) {
    case 'step-run':
      return `${e.mode === 'copy' ? 'Copied' : e.mode === 'paste' ? 'Pasted' : 'Ran'} step **${plain(e.stepId)}**: ${inlineCode(e.command)}`;
    case 'command-finished': {
      const exit = e.exitCode === null ? 'exit code unknown' : `exit ${e.exitCode}`;
      const dur = e.durationMs === null ? '' : ` in ${e.durationMs < 1000 ? `${Math.round(e.durationMs)} ms` : duration(e.durationMs)}`;
      const check = e.check ? ` — check **${e.check.status.toUpperCase()}** (expected ${inlineCode(e.check.expected)})` : '';
      return `Command finished: ${inlineCode(e.command)} → ${exit}${dur}${check}`;
    }
    case 'check':
      return `${e.checked ? 'Ticked' : 'Unticked'}: ${plain(e.label)}`;
    case 'note':
      return `${e.deviation ? '**Deviation**' : 'Note'}: ${plain(e.text)}`;
    case 'probe-snapshot':
      return `Probe snapshot: ${plain(e.title)} **${plain(e.state)}** — ${plain(e.summary)}`;
    case 'log-pin':
      return `Pinned log record (${plain(e.level)}, ${plain(e.timestamp)}) from ${inlineCode(e.file)}`;
    case 'severity':
      return `Severity set to **${e.severity}**`;
  }
}

export function renderMarkdown(s: SessionDetail, now = Date.now()): string {
  const out: string[] = [];
  const kindTitle = s.kind === 'incident' ? 'Incident report' : s.kind === 'change' ? 'Change record' : 'Runbook walk-through';
  out.push(`# ${kindTitle}: ${plain(s.title)}`, '');
  const end = s.endedAt ?? now;
  const sev = s.severity ? SEVERITY_LEVELS.find((l) => l.id === s.severity) : null;
  out.push(
    `- **Status**: ${s.status}${s.endedAt ? '' : ' (still open when this report was made)'}`,
    `- **Severity**: ${sev ? `${sev.id} (${sev.name}), response time ${sev.responseTime}` : 'not set'}`,
    `- **Runbook**: ${s.runbookTitle ? plain(s.runbookTitle) : '—'}`,
    `- **Install**: ${s.installLabel ? `${plain(s.installLabel)} (${inlineCode(s.installRoot ?? '')})` : '—'}`,
    `- **Started**: ${isoLocal(s.startedAt)}`,
    `- **Ended**: ${s.endedAt ? isoLocal(s.endedAt) : '—'}`,
    `- **Duration**: ${duration(end - s.startedAt)}`,
    '',
  );
  out.push('## Summary', '', s.summary?.trim() ? s.summary.trim() : '_No summary written._', '');

  if (s.kind === 'incident') {
    const reached = ESCALATION_LEVELS.filter((l) => end - s.startedAt >= l.fromMinute * 60_000);
    out.push('## Escalation', '');
    for (const l of reached) out.push(`- Level ${l.level} from ${isoLocal(s.startedAt + l.fromMinute * 60_000)}: ${l.action}`);
    out.push('');
  }

  out.push('## Timeline', '');
  if (s.events.length === 0) out.push('_Nothing was recorded._', '');
  for (const e of s.events) {
    out.push(`- **${isoLocal(e.at)}** ${describe(e)}`);
    if (e.type === 'command-finished' && e.output.trim()) out.push('', fence(e.output.trim(), 'text').replace(/^/gm, '  '), '');
    if (e.type === 'log-pin') out.push('', fence(e.text, 'log').replace(/^/gm, '  '), '');
  }
  out.push('');

  const checks = Object.entries(s.checks);
  out.push('## Checklist', '');
  if (checks.length === 0) out.push('_No checklist items were ticked._');
  for (const [, c] of checks) out.push(`- [${c.checked ? 'x' : ' '}] ${plain(c.label)}`);
  out.push('');

  const notes = s.events.filter((e) => e.type === 'note');
  out.push('## Notes and deviations', '');
  if (notes.length === 0) out.push('_None._');
  for (const n of notes) if (n.type === 'note') out.push(`- ${isoLocal(n.at)} ${n.deviation ? '**Deviation** ' : ''}${plain(n.text)}`);
  out.push('');

  const probes = s.events.filter((e) => e.type === 'probe-snapshot');
  if (probes.length) {
    out.push('## Probe snapshots', '');
    for (const p of probes) if (p.type === 'probe-snapshot') out.push(`- ${isoLocal(p.at)} ${plain(p.title)}: **${plain(p.state)}** — ${plain(p.summary)}`);
    out.push('');
  }
  const pins = s.events.filter((e) => e.type === 'log-pin');
  if (pins.length) {
    out.push('## Pinned log records', '');
    for (const p of pins) if (p.type === 'log-pin') out.push(`- ${plain(p.timestamp)} [${plain(p.level)}] ${inlineCode(p.file)}`, '', fence(p.text, 'log').replace(/^/gm, '  '), '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export function renderJson(s: SessionDetail): string {
  return JSON.stringify({ format: 'aura-ops-session/1', ...s }, null, 2) + '\n';
}
