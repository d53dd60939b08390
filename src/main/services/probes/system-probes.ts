// Machine probes: free space on the volumes holding Aura's data, logs and temp (Aura's own 1 GB /
// 0.5 GB thresholds), system memory and Aura's working set (1024/2048 MB), and the processes the
// handbook greps for. On Linux processes come from /proc (fast); elsewhere from systeminformation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProbeDetail, ProbeResult, ProbeState } from '../../../shared/contract/probes';
import type { InstallCandidate } from '../../../shared/install-types';
import {
  DISK_CRITICAL_GB,
  DISK_DEGRADED_GB,
  MEMORY_CRITICAL_MB,
  MEMORY_WARNING_MB,
} from '../../../shared/triage-signals';
import { shellQuote } from '../../../shared/shell-quote';
import { nowMs } from '../../../shared/clock';
import { processListWorker } from '../../workers/off-thread';
import { PAGE_SIZE, USER_HZ, hasProcTable, processTable, readCmdline } from '../system/proc-table';
import { probeResult } from './result';

const GB = 1024 ** 3;
const MB = 1024 ** 2;
/** System memory below this share available is worth a warning (the OS starts paging). */
const SYSTEM_MEMORY_LOW_RATIO = 0.1;
/** How long the systeminformation process list may take before the probe reports "unknown". */
export const PROCESS_TIMEOUT_MS = 2000;

/** The nearest existing ancestor, so a missing Temp folder still names its volume. */
function existingAncestor(p: string): string {
  let cur = path.resolve(p);
  for (;;) {
    if (fs.existsSync(cur)) return cur;
    const up = path.dirname(cur);
    if (up === cur) return cur;
    cur = up;
  }
}

/** What Aura's own DiskSpace health check reports: the drive of its app folder (AppContext.BaseDirectory). */
export interface AuraDiskCheck {
  freeGb: number;
  totalGb: number | null;
  drive: string | null;
}

/** The label of Aura's own measurement, the same words in the card and in the triage. */
export const AURA_DISK_LABEL = "Aura's app drive, per its DiskSpace check";

export interface DiskProbeOutput {
  result: ProbeResult;
  /** The fullest volume (least free space): what the card's headline and the triage both name. */
  fullest: { freeGb: number; path: string; label: string } | null;
}

/**
 * Free space on the volumes of the install's data root, logs and temp (measured here), and on the
 * drive Aura's DiskSpace check measures (reported by Aura: its app folder may sit on another
 * volume). The fullest of them is the headline, so the card and the triage name the same one.
 */
export function probeDisk(install: InstallCandidate, aura: AuraDiskCheck | null = null): DiskProbeOutput {
  const t0 = performance.now();
  const targets: [string, string][] = [
    ['data root', install.paths.dataRoot],
    ['logs', install.paths.logsDir],
    ['temp', install.paths.tempDir],
  ];
  const volumes = new Map<string, { labels: string[]; path: string; free: number; total: number | null }>();
  const details: ProbeDetail[] = [];
  for (const [label, p] of targets) {
    const at = existingAncestor(p);
    try {
      const st = fs.statSync(at);
      const sf = fs.statfsSync(at);
      const key = String(st.dev);
      const v = volumes.get(key);
      if (v) v.labels.push(label);
      else
        volumes.set(key, {
          labels: [label],
          path: at,
          free: sf.bavail * sf.bsize,
          total: sf.blocks * sf.bsize,
        });
    } catch (err) {
      details.push({ label, value: `cannot stat ${at}: ${(err as Error).message}`, state: 'unknown' });
    }
  }
  if (aura && Number.isFinite(aura.freeGb) && aura.freeGb >= 0) {
    volumes.set('aura-check', {
      labels: [AURA_DISK_LABEL],
      path: aura.drive ?? '?',
      free: aura.freeGb * GB,
      total: aura.totalGb === null ? null : aura.totalGb * GB,
    });
  }
  let minFree: number | null = null;
  let minPath: string | null = null;
  let minLabel: string | null = null;
  for (const v of volumes.values()) {
    const freeGb = v.free / GB;
    const state: ProbeState =
      freeGb < DISK_CRITICAL_GB ? 'unhealthy' : freeGb < DISK_DEGRADED_GB ? 'degraded' : 'ok';
    const of = v.total === null ? '' : ` of ${(v.total / GB).toFixed(1)} GB`;
    details.push({
      label: v.labels.join(', '),
      value: `${freeGb.toFixed(2)} GB free${of} (${v.path})`,
      state,
    });
    if (minFree === null || freeGb < minFree) {
      minFree = freeGb;
      minPath = v.path;
      minLabel = v.labels.join(', ');
    }
  }
  const state: ProbeState =
    minFree === null
      ? 'unknown'
      : minFree < DISK_CRITICAL_GB
        ? 'unhealthy'
        : minFree < DISK_DEGRADED_GB
          ? 'degraded'
          : 'ok';
  const summary =
    minFree === null
      ? 'Could not read free space for the install folders.'
      : state === 'ok'
        ? `${minFree.toFixed(1)} GB free on the fullest volume (${minPath}, ${minLabel}).`
        : `Only ${minFree.toFixed(2)} GB free on ${minPath} (${minLabel}; Aura degrades below ${DISK_DEGRADED_GB} GB, fails below ${DISK_CRITICAL_GB} GB): prune old logs, temp and renders.`;
  const quoted = [...new Set(targets.map(([, p]) => existingAncestor(p)))]
    .map((p) => shellQuote(p))
    .join(' ');
  const result: ProbeResult = probeResult(t0, {
    id: 'disk',
    title: 'Disk space',
    state,
    value: minFree === null ? null : Math.round(minFree * 100) / 100,
    unit: 'GB free',
    summary,
    details,
    shell: process.platform === 'win32' ? 'wmic logicaldisk get caption,freespace,size' : `df -h ${quoted}`,
  });
  return {
    result,
    fullest:
      minFree === null || minPath === null || minLabel === null
        ? null
        : { freeGb: minFree, path: minPath, label: minLabel },
  };
}

export interface ProcInfo {
  pid: number;
  name: string;
  command: string;
  cpuPercent: number;
  rssBytes: number;
  uptimeSec: number;
}

/** The processes the handbook greps for (`ps aux | grep -E "(dotnet|node|redis|ffmpeg)"`), plus Aura.Api. */
export const WATCHED_PROCESS_RE =
  /^(aura\.api(\.exe)?|dotnet(\.exe)?|node(\.exe)?|electron(\.exe)?|aura video studio(\.exe)?|redis-server(\.exe)?|ffmpeg(\.exe)?)$/i;

/** Linux: the process table (stat and cmdline of every pid); %CPU as ps computes it (cpu time / elapsed). */
export function listProcProcesses(filter: RegExp = WATCHED_PROCESS_RE): ProcInfo[] {
  const uptime = os.uptime();
  const out: ProcInfo[] = [];
  for (const st of processTable() ?? []) {
    const cmdline = readCmdline(st.pid);
    if (cmdline === null) continue; // it ended after its stat was read: it is simply not listed
    const exe = cmdline[0] ? path.basename(cmdline[0]) : st.comm;
    const name = filter.test(st.comm) ? st.comm : filter.test(exe) ? exe : null;
    if (!name) continue;
    const cpuSec = (st.utimeTicks + st.stimeTicks) / USER_HZ;
    const upSec = Math.max(0.01, uptime - st.startTicks / USER_HZ);
    out.push({
      pid: st.pid,
      name,
      command: cmdline.join(' ').slice(0, 300),
      cpuPercent: Math.round((cpuSec / upSec) * 1000) / 10,
      rssBytes: st.rssPages * PAGE_SIZE,
      uptimeSec: Math.round(upSec),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.pid - b.pid);
}

async function listSiProcesses(timeoutMs: number): Promise<ProcInfo[]> {
  const si = await import('systeminformation');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the process list took longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    const data = await Promise.race([si.processes(), deadline]);
    const now = nowMs();
    return data.list
      .filter((p) => WATCHED_PROCESS_RE.test(p.name))
      .map((p) => ({
        pid: p.pid,
        name: p.name,
        command: `${p.command} ${p.params}`.trim().slice(0, 300),
        cpuPercent: Math.round(p.cpu * 10) / 10,
        rssBytes: p.memRss * 1024,
        uptimeSec: p.started ? Math.max(0, Math.round((now - new Date(p.started).getTime()) / 1000)) : 0,
      }));
  } finally {
    clearTimeout(timer);
  }
}

export async function listProcesses(timeoutMs = PROCESS_TIMEOUT_MS): Promise<ProcInfo[]> {
  // On a worker thread: the scan reads two files per process, every sweep, and the main loop is the terminals'.
  if (process.platform === 'linux' && hasProcTable()) return processListWorker.run('list-processes', {});
  return listSiProcesses(timeoutMs);
}

const fmtUptime = (s: number): string =>
  s >= 86400
    ? `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`
    : s >= 3600
      ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`
      : `${Math.floor(s / 60)}m ${s % 60}s`;

export function isAuraProcess(p: ProcInfo): boolean {
  return /^aura\.api/i.test(p.name) || (/^dotnet/i.test(p.name) && /aura/i.test(p.command));
}

export async function probeProcesses(): Promise<{ result: ProbeResult; procs: ProcInfo[] }> {
  const t0 = performance.now();
  const shell =
    process.platform === 'win32'
      ? 'tasklist | findstr /i "Aura.Api dotnet node electron redis ffmpeg"'
      : 'ps aux | grep -E "(Aura.Api|dotnet|node|electron|redis-server|ffmpeg)" | grep -v grep';
  try {
    const procs = await listProcesses();
    const aura = procs.filter(isAuraProcess);
    const details: ProbeDetail[] = procs.slice(0, 40).map((p) => ({
      label: `${p.name} (pid ${p.pid})`,
      value: `cpu ${p.cpuPercent}%, rss ${(p.rssBytes / MB).toFixed(0)} MB, up ${fmtUptime(p.uptimeSec)}`,
      note: p.command,
    }));
    const names = [...new Set(procs.map((p) => p.name))];
    const summary =
      procs.length === 0
        ? 'None of Aura.Api, dotnet, node/electron, redis-server or ffmpeg runs on this machine.'
        : `${aura.length ? `Aura.Api running (pid ${aura.map((p) => p.pid).join(', ')})` : 'No Aura.Api/dotnet process on this machine (a remote or containerised API is probed over HTTP only)'}; also ${names.join(', ')}.`;
    return {
      procs,
      result: probeResult(t0, {
        id: 'processes',
        title: 'Processes',
        state: 'ok',
        value: procs.length,
        unit: 'processes',
        summary,
        details,
        shell,
      }),
    };
  } catch (err) {
    return {
      procs: [],
      result: probeResult(t0, {
        id: 'processes',
        title: 'Processes',
        state: 'unknown',
        value: null,
        summary: `Could not list processes: ${(err as Error).message}. Run the command by hand.`,
        details: [],
        shell,
      }),
    };
  }
}

/** System memory, and Aura's working set: its own process when it runs here, else its Memory check. */
export function probeMemory(
  auraProcs: ProcInfo[],
  reportedWorkingSetMb: number | null,
): { result: ProbeResult; auraWorkingSetMb: number | null } {
  const t0 = performance.now();
  const total = os.totalmem();
  const free = os.freemem();
  const details: ProbeDetail[] = [
    {
      label: 'System',
      value: `${(free / GB).toFixed(1)} GB available of ${(total / GB).toFixed(1)} GB`,
      state: free / total < SYSTEM_MEMORY_LOW_RATIO ? 'degraded' : 'ok',
    },
  ];
  let ws: number | null = null;
  let source = '';
  if (auraProcs.length > 0) {
    ws = Math.max(...auraProcs.map((p) => p.rssBytes)) / MB;
    source = `process ${auraProcs.map((p) => p.pid).join(', ')}`;
  } else if (reportedWorkingSetMb !== null) {
    ws = reportedWorkingSetMb;
    source = "Aura's Memory health check";
  }
  const wsState: ProbeState =
    ws === null
      ? 'unknown'
      : ws > MEMORY_CRITICAL_MB
        ? 'unhealthy'
        : ws > MEMORY_WARNING_MB
          ? 'degraded'
          : 'ok';
  if (ws !== null)
    details.push({
      label: 'Aura working set',
      value: `${ws.toFixed(0)} MB (${source}; warning ${MEMORY_WARNING_MB} MB, critical ${MEMORY_CRITICAL_MB} MB)`,
      state: wsState,
    });
  else
    details.push({
      label: 'Aura working set',
      value: 'unknown: no Aura process here and no Memory check answered',
      state: 'unknown',
    });
  const sysLow = free / total < SYSTEM_MEMORY_LOW_RATIO;
  const state: ProbeState =
    wsState === 'unhealthy' ? 'unhealthy' : wsState === 'degraded' || sysLow ? 'degraded' : 'ok';
  const summary =
    ws === null
      ? `System: ${(free / GB).toFixed(1)} GB of ${(total / GB).toFixed(1)} GB available; Aura's working set is unknown.`
      : wsState === 'ok'
        ? `Aura uses ${ws.toFixed(0)} MB (below ${MEMORY_WARNING_MB} MB); system ${(free / GB).toFixed(1)} GB available.`
        : `Aura uses ${ws.toFixed(0)} MB, above the ${wsState === 'unhealthy' ? MEMORY_CRITICAL_MB : MEMORY_WARNING_MB} MB threshold: capture a dump (dotnet-dump collect) and see Performance Tuning.`;
  return {
    auraWorkingSetMb: ws === null ? null : Math.round(ws),
    result: probeResult(t0, {
      id: 'memory',
      title: 'Memory',
      state: sysLow && state === 'ok' ? 'degraded' : state,
      value: ws === null ? null : Math.round(ws),
      unit: 'MB',
      summary,
      details,
      shell:
        process.platform === 'linux'
          ? 'free -h'
          : process.platform === 'darwin'
            ? 'vm_stat'
            : 'systeminfo | findstr Memory',
    }),
  };
}
