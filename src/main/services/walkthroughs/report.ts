// Turns a recorded session into a post-mortem draft: overview, impact (start, detection, duration,
// time at each severity), milestones, responders, a timeline whose entries point at their evidence
// (step output, log record with file and line, probe snapshot, DB check), verify's before/after,
// contributing factors, what went well and what did not, action items. Markdown and JSON.
import {
  CONTACT_ROLE_LABEL,
  type SessionDetail,
  type SessionEvent,
  type SeverityId,
} from '../../../shared/contract/walkthroughs-session';
import {
  CHANGE_CHECKLISTS,
  EMERGENCY_CHANGE_RULE,
  ESCALATION_LEVELS,
  SEVERITY_LEVELS,
} from '../../../shared/handbook';
import {
  MILESTONE_ORDER,
  formatSpan,
  incidentTimes,
  type IncidentTimes,
  type SeverityChange,
  MILESTONE_LABEL,
} from '../../../shared/incident-metrics';
import { outcomeText } from '../../../shared/runbooks/findings';

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
  return text.replace(/[\\|*_[\]<>#`]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export interface ReportOptions {
  /** IANA zone for every time in the report; default: this machine's. */
  timeZone?: string;
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
  return `${new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'medium' }).format(d)} ${timeZone}`;
}

function ms(n: number | null): string {
  return n === null ? '—' : formatSpan(n);
}

/** The severity settings of a session, in order (the first one is where it started). */
export function severityChanges(s: SessionDetail): SeverityChange[] {
  const out: SeverityChange[] = [];
  for (const e of s.events) if (e.type === 'severity') out.push({ at: e.at, severity: e.severity });
  if (out.length === 0 && s.severity) out.push({ at: s.startedAt, severity: s.severity });
  return out;
}

export function timesOf(s: SessionDetail, now: number): IncidentTimes {
  return incidentTimes({
    milestones: s.milestones,
    impactStart: s.impactStart?.at ?? null,
    changes: severityChanges(s),
    end: s.endedAt ?? now,
  });
}

function sevName(id: SeverityId): string {
  const l = SEVERITY_LEVELS.find((x) => x.id === id);
  return l ? `${l.id} (${l.name})` : id;
}

interface Evidence {
  id: string;
  title: string;
  body: string[];
}

function describe(e: SessionEvent, tz: string | undefined, evidence: Evidence[]): string {
  const ref = (title: string, body: string[]): string => {
    const id = `E${evidence.length + 1}`;
    evidence.push({ id, title, body });
    return ` ([evidence ${id}](#${id.toLowerCase()}))`;
  };
  switch (e.type) {
    case 'step': {
      const what = `step **${plain(e.stepId)}**: ${inlineCode(e.command)}`;
      if (e.status === 'declined') return `**Declined** ${what}${e.reason ? ` — ${plain(e.reason)}` : ''}`;
      if (e.status === 'copied') return `Copied ${what}`;
      if (e.status === 'not-sent') return `**Not sent** ${what}${e.reason ? ` — ${plain(e.reason)}` : ''}`;
      if (e.status === 'running' || e.status === 'pasted')
        return `${e.status === 'pasted' ? 'Pasted' : 'Ran'} ${what} — no finish was recorded`;
      const exit = e.exitCode === null ? 'exit code unknown' : `exit ${e.exitCode}`;
      const dur =
        e.durationMs === null
          ? ''
          : ` in ${e.durationMs < 1000 ? `${Math.round(e.durationMs)} ms` : formatSpan(e.durationMs)}`;
      const from = e.startedAt === null ? '' : isoLocal(e.startedAt, tz).slice(11, 19);
      const to = e.endedAt === null ? '' : isoLocal(e.endedAt, tz).slice(11, 19);
      const span = from && to && from !== to ? ` (${from}–${to})` : '';
      const check = !e.verdict
        ? ''
        : e.verdict.outcome
          ? ` — ${e.verdict.outcome === 'finding' ? 'finding' : 'answer'} **${plain(outcomeText(e.verdict.outcome, e.verdict.finding))}** (seen ${plain(e.verdict.actual)}; answers ${inlineCode(e.verdict.expected)})`
          : ` — check **${e.verdict.status.toUpperCase()}** (expected ${inlineCode(e.verdict.expected)}, got ${plain(e.verdict.actual)})`;
      const out = e.output.trim() ? ref(`Output of step ${e.stepId}`, [fence(e.output.trim(), 'text')]) : '';
      return `Ran ${what} → ${exit}${dur}${span}${check}${out}`;
    }
    case 'command': {
      const exit = e.exitCode === null ? 'exit code unknown' : `exit ${e.exitCode}`;
      const out = e.output.trim()
        ? ref(`Output of ${e.command.slice(0, 60)}`, [fence(e.output.trim(), 'text')])
        : '';
      return `Ad hoc command ${inlineCode(e.command)} → ${exit}${out}`;
    }
    case 'step-run':
      return `${e.mode === 'copy' ? 'Copied' : e.mode === 'paste' ? 'Pasted' : 'Ran'} step **${plain(e.stepId)}**: ${inlineCode(e.command)}`;
    case 'command-finished': {
      const exit = e.exitCode === null ? 'exit code unknown' : `exit ${e.exitCode}`;
      const check = e.check ? ` — check **${e.check.status.toUpperCase()}**` : '';
      const out = e.output.trim()
        ? ref(`Output of ${e.command.slice(0, 60)}`, [fence(e.output.trim(), 'text')])
        : '';
      return `Command finished: ${inlineCode(e.command)} → ${exit}${check}${out}`;
    }
    case 'check':
      return `${e.checked ? 'Ticked' : 'Unticked'}: ${plain(e.label)}`;
    case 'note':
      return `${e.deviation ? '**Deviation**' : e.shouldSay ? '**The runbook should say**' : 'Note'}: ${plain(e.text)}`;
    case 'probe-snapshot':
      return `Probe snapshot: ${plain(e.title)} **${plain(e.state)}**${ref(`Probe ${e.title}`, [`${plain(e.title)}: **${plain(e.state)}** — ${plain(e.summary)}`])}`;
    case 'log-pin':
      return `Pinned log record (${plain(e.level)}, ${plain(e.timestamp)})${ref(`Log record ${e.file}${e.line ? `:${e.line}` : ''}`, [`${inlineCode(`${e.file}${e.line ? `:${e.line}` : ''}`)}`, '', fence(e.text, 'log')])}`;
    case 'severity':
      return `Severity set to **${e.severity}**${e.reason ? ` — ${plain(e.reason)}` : ''}`;
    case 'escalation':
      return `**Escalated** (level ${e.level})${e.to ? ` to ${plain(e.to)}` : ''}${e.reason ? ` — ${plain(e.reason)}` : ''}`;
    case 'triage':
      return `Triage **${e.severity}** (${plain(e.overall)}): ${plain(e.headline)}${ref('Triage snapshot', [
        ...e.reasons.map((r) => `- ${plain(r)}`),
        '',
        '| Probe | State | What it saw |',
        '|---|---|---|',
        ...e.probes.map((p) => `| ${plain(p.title)} | ${plain(p.state)} | ${plain(p.summary)} |`),
      ])}`;
    case 'milestone':
      return `Milestone **${MILESTONE_LABEL[e.milestone]}** at ${isoLocal(e.time, tz)}${e.previous !== null ? ` (was ${isoLocal(e.previous, tz)})` : ''}${e.source === 'operator' ? ' set by the operator' : ''}${e.reason ? ` — ${plain(e.reason)}` : ''}`;
    case 'impact-start': {
      const where = e.evidence
        ? ref(`Log record ${e.evidence.file}${e.evidence.line ? `:${e.evidence.line}` : ''}`, [
            inlineCode(`${e.evidence.file}${e.evidence.line ? `:${e.evidence.line}` : ''}`),
            '',
            fence(`${e.evidence.timestamp} [${e.evidence.level}] ${e.evidence.text}`, 'log'),
          ])
        : '';
      return `Impact start ${e.source === 'logs' ? 'proposed from the logs' : 'set by the operator'}: ${isoLocal(e.time, tz)}${e.previous !== null ? ` (was ${isoLocal(e.previous, tz)})` : ''}${e.reason ? ` — ${plain(e.reason)}` : ''}${where}`;
    }
    case 'verify':
      return `Verify: **${e.green ? 'green' : 'not green'}** (${e.rows.filter((r) => r.ok).length} of ${e.rows.length} rows ok)`;
    case 'scheduled':
      return `Change scheduled for ${isoLocal(e.time, tz)} (${e.window ? `inside the ${plain(e.window)} maintenance window` : 'outside the maintenance windows'}, ${plain(e.timeZone)})`;
    case 'change-began':
      return `Change began ${e.inWindow ? `inside the ${plain(e.window ?? '')} maintenance window` : `**outside the maintenance windows** (next: ${plain(e.nextWindow ?? '')}; ${EMERGENCY_CHANGE_RULE})`}`;
    case 'recording':
      return `${e.recording ? 'Recording resumed' : 'Recording stopped'}: ${plain(e.reason)}`;
    case 'db-backup':
      return `Database backup ${e.ok ? `written: ${inlineCode(e.file)}` : 'failed'}${ref('Database backup', [plain(e.detail)])}`;
    case 'revision':
      return `Draft revision of the runbook saved: [${plain(e.file.split(/[\\/]/).pop() ?? e.file)}](${encodeURI(e.file.split('\\').join('/')).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}) (${inlineCode(e.file)})`;
    case 'db-check':
      return `Database check ${plain(e.check)}: **${e.ok ? 'ok' : 'problem'}**${ref(`Database check ${e.check}`, [fence(e.detail, 'text')])}`;
    case 'precondition-override':
      return `**Preconditions overridden** for step **${plain(e.stepId)}** (${e.unmet.map((u) => `${plain(u.label)}: ${plain(u.why)}`).join('; ')}) — reason: ${plain(e.reason)}`;
  }
}

export function renderMarkdown(s: SessionDetail, now = Date.now(), opts: ReportOptions = {}): string {
  const tz = opts.timeZone;
  const out: string[] = [];
  const kindTitle =
    s.kind === 'incident'
      ? 'Incident report'
      : s.kind === 'change'
        ? 'Change record'
        : 'Runbook walk-through';
  out.push(`# ${kindTitle}: ${plain(s.title)}`, '');
  if (s.kind === 'incident')
    out.push('_Post-mortem draft recorded by Aura Ops Console. Review every section before sharing._', '');
  const end = s.endedAt ?? now;
  const sev = s.severity ? SEVERITY_LEVELS.find((l) => l.id === s.severity) : null;
  out.push(
    '## Overview',
    '',
    `- **Status**: ${s.status}${s.endedAt ? '' : ' (still open when this report was made)'}`,
    `- **Severity**: ${sev ? `${sev.id} (${sev.name}), response time ${sev.responseTime}` : 'not set'}`,
    `- **Runbook**: ${s.runbookTitle ? plain(s.runbookTitle) : '—'}`,
    `- **Install**: ${s.installLabel ? `${plain(s.installLabel)} (${inlineCode(s.installRoot ?? '')})` : '—'}`,
    `- **Started**: ${isoLocal(s.startedAt, tz)}`,
    `- **Ended**: ${s.endedAt ? isoLocal(s.endedAt, tz) : '—'}`,
    `- **Duration**: ${formatSpan(end - s.startedAt)}`,
    '',
  );
  out.push('## Summary', '', s.summary?.trim() ? s.summary.trim() : '_No summary written._', '');

  if (s.kind === 'incident') {
    const t = timesOf(s, now);
    out.push('## Impact', '');
    const imp = s.impactStart;
    out.push(
      `- **Impact start**: ${imp ? `${isoLocal(imp.at, tz)} (${imp.source === 'logs' ? `first record of the symptom in ${imp.evidence ? inlineCode(`${imp.evidence.file}${imp.evidence.line ? `:${imp.evidence.line}` : ''}`) : 'the logs'}` : 'set by the operator'})` : '_not known_'}`,
      `- **Detected**: ${s.milestones.detected ? isoLocal(s.milestones.detected.at, tz) : '—'}`,
      `- **Impact duration**: ${ms(t.impactDurationMs)}${s.milestones.mitigated || s.milestones.resolved ? '' : ' (not yet mitigated)'}`,
      `- **Time at each severity**: ${t.timeAtSeverity.length ? t.timeAtSeverity.map((x) => `${sevName(x.severity)} ${formatSpan(x.ms)}`).join(', ') : '—'}`,
      '',
    );
    const from = t.origin !== null && imp && t.origin === imp.at ? 'impact start' : 'detection';
    out.push('## Milestones', '', `| Milestone | Time | Since ${from} | Set by |`, '|---|---|---|---|');
    for (const m of MILESTONE_ORDER) {
      const e = s.milestones[m];
      const since = e && t.origin !== null ? formatSpan(Math.max(0, e.at - t.origin)) : '—';
      out.push(
        `| ${MILESTONE_LABEL[m]} | ${e ? isoLocal(e.at, tz) : '—'} | ${since} | ${e ? `${e.source}${e.reason ? `: ${plain(e.reason)}` : ''}` : '—'} |`,
      );
    }
    out.push(
      '',
      `- **Time to acknowledge**: ${ms(t.timeToAcknowledgeMs)}`,
      `- **Time to mitigate**: ${ms(t.timeToMitigateMs)}`,
      `- **Time to resolve**: ${ms(t.timeToResolveMs)}`,
      ...(t.outOfOrder.length
        ? [
            `- **Check**: ${t.outOfOrder.map((m) => MILESTONE_LABEL[m]).join(', ')} is earlier than a milestone before it`,
          ]
        : []),
      '',
    );
    const reached = ESCALATION_LEVELS.filter((l) => end - s.startedAt >= l.fromMinute * 60_000);
    out.push('## Escalation', '');
    for (const l of reached)
      out.push(`- Level ${l.level} from ${isoLocal(s.startedAt + l.fromMinute * 60_000, tz)}: ${l.action}`);
    out.push('');
    out.push('## Responders', '');
    const escalated = s.events.filter((e) => e.type === 'escalation');
    if (s.contacts.length === 0 && escalated.length === 0)
      out.push('_No emergency contacts are set (Session panel, Emergency contacts)._');
    for (const c of s.contacts)
      out.push(`- ${CONTACT_ROLE_LABEL[c.role]}: ${plain(c.name)} (${plain(c.reach)})`);
    for (const e of escalated)
      if (e.type === 'escalation')
        out.push(
          `- Escalated at ${isoLocal(e.at, tz)} (level ${e.level})${e.to ? ` to ${plain(e.to)}` : ''}`,
        );
    out.push('');
  }

  const evidence: Evidence[] = [];
  out.push('## Timeline', '');
  if (s.events.length === 0) out.push('_Nothing was recorded._');
  for (const e of s.events) out.push(`- **${isoLocal(e.at, tz)}** ${describe(e, tz, evidence)}`);
  out.push('');

  const verify = [...s.events].reverse().find((e) => e.type === 'verify');
  if (verify && verify.type === 'verify') {
    out.push(
      '## Verify: before and after',
      '',
      `Last verify at ${isoLocal(verify.at, tz)}: **${verify.green ? 'green' : 'not green'}**.`,
      '',
      '| Check | Before | After | |',
      '|---|---|---|---|',
    );
    for (const r of verify.rows)
      out.push(
        `| ${plain(r.label)} | ${plain(r.before)} | ${plain(r.after)} | ${r.ok ? 'ok' : '**not ok**'} |`,
      );
    out.push('');
  }
  if (s.postmortem.resolveOverride)
    out.push(`**Resolved without a green verify**: ${plain(s.postmortem.resolveOverride)}`, '');

  if (s.kind === 'incident') {
    const list = (title: string, items: string[], none: string) => {
      out.push(`## ${title}`, '');
      if (items.length === 0) out.push(`_${none}_`);
      for (const i of items) out.push(`- ${plain(i)}`);
      out.push('');
    };
    list('Contributing factors', s.postmortem.contributingFactors, 'None written yet.');
    list('What went well', s.postmortem.wentWell, 'None written yet.');
    list('What did not go well', s.postmortem.wentBadly, 'None written yet.');
    out.push('## Action items', '');
    if (s.postmortem.actionItems.length === 0) out.push('_None written yet._');
    else {
      out.push('| Action | Owner |', '|---|---|');
      for (const a of s.postmortem.actionItems) out.push(`| ${plain(a.text)} | ${plain(a.owner)} |`);
    }
    out.push('');
  }

  if (s.kind === 'change') {
    const began = s.events.find((e) => e.type === 'change-began');
    out.push('## Maintenance window', '');
    if (s.scheduledFor !== null)
      out.push(`- **Scheduled for**: ${isoLocal(s.scheduledFor, tz)} (not begun yet)`);
    const sched = s.events.find((e) => e.type === 'scheduled');
    if (sched && sched.type === 'scheduled' && s.scheduledFor === null)
      out.push(`- **Scheduled for**: ${isoLocal(sched.time, tz)}`);
    if (began && began.type === 'change-began') {
      out.push(
        `- **Began**: ${isoLocal(began.at, tz)}, ${began.inWindow ? `inside the ${plain(began.window ?? '')} window (${plain(began.timeZone)})` : `outside the maintenance windows (${plain(began.timeZone)}); the handbook allows this only as an emergency: ${EMERGENCY_CHANGE_RULE}`}`,
      );
    }
    out.push('');
    // The handbook's checklist as written; what was not ticked is listed as not done.
    out.push('## Change checklist', '');
    const notDone: string[] = [];
    for (const phase of CHANGE_CHECKLISTS) {
      out.push(`### ${phase.title}`, '');
      for (const item of phase.items) {
        const done = s.checks[`change:${item.id}`]?.checked ?? false;
        if (!done) notDone.push(`${phase.title}: ${item.text}`);
        out.push(`- [${done ? 'x' : ' '}] ${plain(item.text)}`);
      }
      out.push('');
    }
    out.push('### Not done', '');
    if (notDone.length === 0) out.push('_Every item was ticked._');
    for (const n of notDone) out.push(`- ${plain(n)}`);
    out.push('');
  }
  const checks = Object.entries(s.checks).filter(([k]) => s.kind !== 'change' || !k.startsWith('change:'));
  out.push(s.kind === 'change' ? '## Runbook checklist' : '## Checklist', '');
  if (checks.length === 0) out.push('_No checklist items were ticked._');
  for (const [, c] of checks) out.push(`- [${c.checked ? 'x' : ' '}] ${plain(c.label)}`);
  out.push('');

  const notes = s.events.filter((e) => e.type === 'note');
  out.push('## Notes and deviations', '');
  if (notes.length === 0) out.push('_None._');
  for (const n of notes)
    if (n.type === 'note')
      out.push(`- ${isoLocal(n.at, tz)} ${n.deviation ? '**Deviation** ' : ''}${plain(n.text)}`);
  out.push('');

  if (evidence.length) {
    out.push('## Evidence', '');
    for (const ev of evidence) out.push(`### ${ev.id}`, '', `${plain(ev.title)}`, '', ...ev.body, '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n') + '\n';
}

export function renderJson(s: SessionDetail, now = Date.now()): string {
  const t = s.kind === 'incident' ? timesOf(s, now) : null;
  return JSON.stringify({ format: 'aura-ops-session/2', ...s, times: t }, null, 2) + '\n';
}

/** The report of session `d` as a file: its name (start time and title), type and content. */
export function reportFile(
  d: SessionDetail,
  format: 'markdown' | 'json',
  now: number,
): { fileName: string; mime: string; content: string } {
  const stamp = new Date(d.startedAt).toISOString().slice(0, 16).replace(/[-:T]/g, '');
  const slug =
    d.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 48) || 'session';
  return format === 'json'
    ? { fileName: `${stamp}-${slug}.json`, mime: 'application/json', content: renderJson(d, now) }
    : { fileName: `${stamp}-${slug}.md`, mime: 'text/markdown', content: renderMarkdown(d, now) };
}
