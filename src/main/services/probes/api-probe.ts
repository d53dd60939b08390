// The API probe: asks every health endpoint Aura really has (and the handbook's /api/v1/health,
// which it does not), parses each real body shape of FACTS §1.3 and turns them into one verdict.
import type { ProbeDetail, ProbeResult, ProbeState } from '../../../shared/contract/probes';
import {
  emptyApiSignals,
  type ApiCheckSignal,
  type AspStatus,
  type TriageSignals,
} from '../../../shared/triage-signals';
import { httpGet, type HttpOutcome } from './http';
import { shellQuote } from '../../../shared/shell-quote';
import { probeResult } from './result';

/** Hard cap on what the API probe costs: an API that hangs is reported after this. */
export const API_TIMEOUT_MS = 2000;

/** Asked in parallel; order is the order the details list them. */
export const API_ENDPOINTS = [
  '/api/v1/health',
  '/health/ready',
  '/health',
  '/api/health',
  '/api/health/ready',
  '/api/health/details',
  '/api/version',
] as const;
type Endpoint = (typeof API_ENDPOINTS)[number];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Status words of every shape (healthy/Healthy, pass/warning/fail) to one lowercase status. */
export function normaliseStatus(v: unknown): AspStatus | null {
  if (typeof v !== 'string') return null;
  const s = v.toLowerCase();
  if (s === 'healthy' || s === 'pass' || s === 'ok') return 'healthy';
  if (s === 'degraded' || s === 'warning' || s === 'warn') return 'degraded';
  if (s === 'unhealthy' || s === 'fail' || s === 'failed') return 'unhealthy';
  return null;
}

/** `/health/ready`, `/health`, `/health/{tag}` (shape A): checks with description and data. */
export function parseAspHealth(
  json: unknown,
): { status: AspStatus | null; checks: ApiCheckSignal[]; version: string | null } | null {
  if (!isObj(json) || !Array.isArray(json.checks)) return null;
  const checks: ApiCheckSignal[] = [];
  for (const c of json.checks) {
    if (!isObj(c)) continue;
    checks.push({
      name: str(c.name) ?? '?',
      status: normaliseStatus(c.status) ?? 'unhealthy',
      description: str(c.description) ?? str(c.message) ?? '',
      data: isObj(c.data) ? c.data : isObj(c.details) ? c.details : {},
    });
  }
  return { status: normaliseStatus(json.status), checks, version: str(json.version) };
}

const stateOf = (s: AspStatus | null): ProbeState =>
  s === 'healthy' ? 'ok' : s === 'degraded' ? 'degraded' : s === 'unhealthy' ? 'unhealthy' : 'unknown';

function dataSummary(data: Obj): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data)) {
    if (v === null || v === undefined) continue;
    const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
    parts.push(`${k}=${text.length > 80 ? `${text.slice(0, 77)}...` : text}`);
    if (parts.length >= 8) break;
  }
  return parts.join(', ');
}

export interface ApiProbeOutput {
  result: ProbeResult;
  api: TriageSignals['api'];
}

export async function probeApi(baseUrl: string, timeoutMs = API_TIMEOUT_MS): Promise<ApiProbeOutput> {
  const t0 = performance.now();
  const base = baseUrl.replace(/\/+$/, '');
  // One hung endpoint means a hung API: stop waiting for the others then.
  const all = new AbortController();
  const answers = new Map<Endpoint, HttpOutcome>();
  await Promise.all(
    API_ENDPOINTS.map(async (ep) => {
      const o = await httpGet(base + ep, timeoutMs, all.signal);
      answers.set(ep, o);
      if (o.kind === 'timeout' || (o.kind === 'error' && o.code === 'ECONNREFUSED')) all.abort();
    }),
  );
  const get = (ep: Endpoint): HttpOutcome => answers.get(ep) ?? { kind: 'timeout', ms: timeoutMs };
  const answered = API_ENDPOINTS.filter((ep) => get(ep).kind === 'answer');
  const details: ProbeDetail[] = [];
  const api: TriageSignals['api'] = { ...emptyApiSignals(base), reachable: answered.length > 0 };
  const shell = `curl -s -m ${Math.ceil(API_TIMEOUT_MS / 1000)} ${shellQuote(`${base}/health/ready`)}`;
  const done = (state: ProbeState, value: number | null, summary: string): ApiProbeOutput => ({
    result: probeResult(t0, {
      id: 'api',
      title: 'Aura API',
      state,
      value,
      unit: 'ms',
      summary,
      details,
      shell,
    }),
    api,
  });

  if (answered.length === 0) {
    if (API_ENDPOINTS.some((ep) => get(ep).kind === 'timeout')) {
      api.timedOut = true;
      api.error = `no answer within ${timeoutMs} ms`;
      details.push({
        label: 'Connection',
        value: `accepted, no answer within ${timeoutMs} ms`,
        state: 'unreachable',
      });
      return done(
        'unreachable',
        null,
        `The API at ${base} accepts connections but answered nothing within ${timeoutMs / 1000} s: the process hangs. Capture a dump (dotnet-dump collect) and restart it.`,
      );
    }
    const first =
      API_ENDPOINTS.map(get).find((o) => o.kind === 'error' && o.code !== 'ABORTED') ?? get('/health/ready');
    const code = first.kind === 'error' ? first.code : 'no answer';
    api.error = code;
    details.push({
      label: 'Connection',
      value: first.kind === 'error' ? `${first.code}: ${first.message}` : code,
      state: 'unreachable',
    });
    const hint =
      code === 'ECONNREFUSED'
        ? 'Nothing listens there: Aura is not running, or it binds another URL (AURA_API_URL / ASPNETCORE_URLS / Kestrel:Endpoints). Start it and check the last lines of the aura-api log.'
        : 'Check the host and port of the attached install.';
    return done('unreachable', null, `The API at ${base} is unreachable (${code}). ${hint}`);
  }

  // Which endpoints exist.
  for (const ep of API_ENDPOINTS) {
    const o = get(ep);
    const value =
      o.kind === 'answer'
        ? o.status === 404
          ? 'absent (404)'
          : `HTTP ${o.status} in ${o.ms} ms`
        : o.kind === 'timeout'
          ? 'no answer (timeout)'
          : `${o.code}`;
    const state: ProbeState =
      o.kind !== 'answer'
        ? 'unreachable'
        : o.status === 404
          ? 'not-configured'
          : o.status >= 500
            ? 'unhealthy'
            : 'ok';
    details.push({ label: ep, value, state });
  }
  const v1 = get('/api/v1/health');
  api.handbookEndpointMissing = v1.kind === 'answer' && v1.status === 404;

  // The readiness verdict: /health/ready, else /health, else /api/health/ready.
  let readyEp: Endpoint | null = null;
  let parsed: ReturnType<typeof parseAspHealth> = null;
  for (const ep of ['/health/ready', '/health', '/api/health/ready'] as const) {
    const o = get(ep);
    if (o.kind !== 'answer' || o.status === 404) continue;
    const p = parseAspHealth(o.json);
    if (p) {
      readyEp = ep;
      parsed = p;
      api.readyHttp = o.status;
      break;
    }
  }
  let version: string | null = parsed?.version ?? null;
  let latency: number | null = null;
  if (readyEp && parsed) {
    const o = get(readyEp) as Extract<HttpOutcome, { kind: 'answer' }>;
    latency = o.ms;
    api.readyEndpoint = readyEp;
    api.readyStatus = parsed.status ?? (o.status === 503 ? 'unhealthy' : null);
    api.checks = parsed.checks;
    // /health (all checks) adds `exception`; keep the ready checks but fill data when only /health answered.
    for (const c of parsed.checks) {
      details.push({
        label: `check ${c.name}`,
        value: `${c.status}: ${c.description}`,
        state: stateOf(c.status),
        note: dataSummary(c.data),
      });
    }
  }
  const apiReady = get('/api/health/ready');
  if (apiReady.kind === 'answer' && apiReady.status !== 404) api.apiReadyHttp = apiReady.status;

  // /api/health: always "Healthy"; the database block is what tells.
  const h = get('/api/health');
  let dbNote: string | null = null;
  if (h.kind === 'answer' && isObj(h.json)) {
    version = version ?? str(h.json.version);
    const db = h.json.database;
    if (isObj(db)) {
      if (db.connected === false)
        dbNote = `/api/health: database not connected (${str(db.error) ?? 'no error text'}) although its status says "${str(h.json.status) ?? '?'}"`;
      const mig = db.migration;
      if (isObj(mig) && typeof mig.pending === 'number') {
        api.migrationsPending = mig.pending;
        details.push({
          label: 'EF migrations',
          value: `current ${str(mig.current) ?? '?'}, ${mig.pending} pending`,
          state: mig.pending > 0 ? 'degraded' : 'ok',
        });
      }
    }
  }
  const ver = get('/api/version');
  if (ver.kind === 'answer' && ver.status === 200 && isObj(ver.json))
    version = str(ver.json.informationalVersion) ?? str(ver.json.version) ?? version;
  if (version) details.push({ label: 'Version', value: version });

  // /api/health/details: pass|warning|fail per capability.
  const d = get('/api/health/details');
  if (d.kind === 'answer' && isObj(d.json) && Array.isArray(d.json.checks)) {
    const bad = d.json.checks.filter((c): c is Obj => isObj(c) && c.status !== 'pass');
    details.push({
      label: '/api/health/details',
      value: `${str(d.json.overallStatus) ?? '?'}, isReady=${String(d.json.isReady)}, ${bad.length} not passing`,
      state: stateOf(normaliseStatus(d.json.overallStatus)),
      note:
        bad.map((c) => `${str(c.id) ?? '?'}: ${str(c.status) ?? '?'} (${str(c.message) ?? ''})`).join('; ') ||
        undefined,
    });
  }

  const notes: string[] = [];
  if (api.handbookEndpointMissing)
    notes.push(`the handbook's /api/v1/health is absent (404); ${readyEp ?? '/health'} stands in`);
  if (api.apiReadyHttp === 503 && api.readyHttp !== 503) {
    notes.push(
      '/api/health/ready answers 503 because one of its sub-checks is not healthy (it does so even for a single degraded one)',
    );
  }
  if (dbNote) notes.push(dbNote);
  const tail = notes.length ? ` Note: ${notes.join('; ')}.` : '';

  if (!parsed) {
    return done(
      'degraded',
      null,
      `The API answers but none of /health/ready, /health, /api/health/ready gave a health body.${tail}`,
    );
  }
  const bad = parsed.checks.filter((c) => c.status !== 'healthy');
  const status = api.readyStatus;
  const head =
    status === 'healthy'
      ? `Healthy: ${parsed.checks.length}/${parsed.checks.length} checks pass on ${readyEp}`
      : `${readyEp} ${api.readyHttp}: ${status ?? 'unknown'}: ${bad.map((c) => `${c.name} ${c.status} (${c.description})`).join('; ')}`;
  return done(stateOf(status), latency, `${head}.${tail}`);
}
