// `aura-ops check --bundle` against bundles made from the sandbox in db-locked, error-spike and
// redis-down: the replay (recorded probes, log signals re-read from the bundle's own logs at the
// time it was made) gives the severity and top runbook the live check gave then. Also: a full
// bundle holds what it promises, and a changed or hostile bundle is refused by `check --bundle`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, type ScenarioName } from '../../../shared/contract/sandbox';
import type { CliIO } from '../../cli-types';
import { suiteSandbox } from '../../sandbox/test-support';
import { bundleCommand, checkCommand } from '../probes/cli';
import { buildZip } from '../probes/zip';
import { craftZip } from './craft-zip';
import { openBundle } from './open';
import { readSegment } from './segments';
import { readZipDirectory } from './unzip';

/** How long a scenario may take to show in the live check on a loaded machine. */
const SCENARIO_DEADLINE_MS = 30_000;
/** Pause between two live checks while waiting for the scenario. */
const POLL_MS = 250;

const suite = suiteSandbox('aura-ops-check-bundle-', {
  port: 0,
  jobTickMs: 100,
  trafficMs: 40,
  create: { days: 1 },
});

function io(): CliIO & { out: (t: string) => void; text: () => string; errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    text: () => out.join('\n'),
    errText: () => err.join('\n'),
  };
}

interface CheckJson {
  triage: { severity: string; suggestions: { runbook: string }[] };
  overall: string;
}
interface BundleCheckJson extends CheckJson {
  bundle: { sha256: string; host: string; asOf: string };
  recorded: { severity: string; top: string | null };
  agrees: boolean;
}

const view = (c: CheckJson) => ({
  severity: c.triage.severity,
  top: c.triage.suggestions[0]?.runbook ?? null,
});

/**
 * Switches the sandbox, waits until the live check shows the scenario, then bundles; repeated
 * (within the deadline) when the bundle's own sweep caught the install mid-change.
 */
async function bundleOf(
  name: ScenarioName,
): Promise<{ file: string; recorded: { severity: string; top: string | null } }> {
  const sc = SCENARIOS.find((x) => x.name === name)!;
  await suite.sb.setScenario(name);
  const deadline = Date.now() + SCENARIO_DEADLINE_MS;
  for (let attempt = 0; ; attempt++) {
    const live = io();
    await checkCommand(['--install', suite.sb.dir, '--json'], live);
    const seen = view(JSON.parse(live.text()) as CheckJson);
    if (seen.severity === sc.severity && seen.top === sc.runbook) {
      const file = path.join(suite.root, `${name}-${attempt}.zip`);
      const b = io();
      expect(
        await bundleCommand(['--install', suite.sb.dir, '--with-db', '--hours', '48', '--out', file], b),
      ).toBe(0);
      const opened = await openBundle(file, path.join(suite.root, 'peek'));
      const recorded = {
        severity: opened.recorded.triage.severity,
        top: opened.recorded.triage.suggestions[0]?.runbook ?? null,
      };
      fs.rmSync(opened.dir, { recursive: true, force: true });
      if ((recorded.severity === sc.severity && recorded.top === sc.runbook) || Date.now() > deadline)
        return { file, recorded };
    } else if (Date.now() > deadline) {
      throw new Error(
        `${name} did not show in the live check within ${SCENARIO_DEADLINE_MS} ms: ${JSON.stringify(seen)}`,
      );
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

describe('check --bundle gives what the live check gave', () => {
  // redis-down first: its evidence is the Redis probe, so the later log-driven scenarios do not
  // inherit anything from it; db-locked before error-spike, whose 5xx burst dominates a window.
  for (const name of ['redis-down', 'db-locked', 'error-spike'] as const) {
    it(`${name}`, async () => {
      const sc = SCENARIOS.find((x) => x.name === name)!;
      const { file, recorded } = await bundleOf(name);
      expect(recorded).toEqual({ severity: sc.severity, top: sc.runbook });
      const c = io();
      const code = await checkCommand(['--bundle', file, '--json'], c);
      const r = JSON.parse(c.text()) as BundleCheckJson;
      expect({
        replay: view(r),
        recorded: { severity: r.recorded.severity, top: r.recorded.top },
        agrees: r.agrees,
      }).toEqual({ replay: recorded, recorded, agrees: true });
      expect(code).toBeGreaterThan(0);
      expect(r.bundle.host).toBe(os.hostname());
      const text = io();
      await checkCommand(['--bundle', file], text);
      expect(text.text()).toMatch(
        new RegExp(
          `^Bundle from ${os.hostname()} as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.* \\(sha256 ${r.bundle.sha256.slice(0, 12)}…\\)`,
        ),
      );
      expect(text.text()).toContain('the replay agrees');
    }, 90_000);
  }
});

describe('a full bundle', () => {
  it('holds aura.db, whole log files and a manifest with every sha256; a changed file is refused', async () => {
    await suite.sb.setScenario('healthy');
    const file = path.join(suite.root, 'full.zip');
    expect(await bundleCommand(['--install', suite.sb.dir, '--with-db', '--out', file], io())).toBe(0);
    const opened = await openBundle(file, path.join(suite.root, 'open'));
    const m = opened.manifest;
    expect(Object.keys(m.files)).toEqual(
      expect.arrayContaining(['db/aura.db', 'probes.json', 'triage.json', 'probe-history.json']),
    );
    expect(m.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(m.full).toEqual({ hours: 24, db: true });
    // SQLite's header on the copy, and the newest API log whole (its first line is the file's).
    expect(
      fs
        .readFileSync(path.join(opened.dir, 'db', 'aura.db'))
        .subarray(0, 15)
        .toString(),
    ).toBe('SQLite format 3');
    const apiLogs = fs.readdirSync(path.join(opened.dir, 'logs')).filter((f) => f.startsWith('aura-api-'));
    expect(apiLogs.length).toBeGreaterThan(0);
    const newest = apiLogs.sort().at(-1)!;
    const firstLine = fs.readFileSync(path.join(suite.sb.dir, 'logs', newest), 'utf8').split('\n')[0];
    expect(fs.readFileSync(path.join(opened.dir, 'logs', newest), 'utf8').split('\n')[0]).toBe(firstLine);
    expect(opened.install.paths.logsDir).toBe(path.join(opened.dir, 'logs'));
    expect(opened.install.paths.dbPath).toBe(path.join(opened.dir, 'db', 'aura.db'));
    expect(opened.install.kind).toBe('bundle');
    // Every log is indexed in segments; the newest one's last segment reads back alone, checked,
    // as the file's own tail.
    const logNames = Object.keys(m.files).filter((n) => n.startsWith('logs/'));
    expect(Object.keys(m.segments ?? {}).sort()).toEqual(logNames.sort());
    const entry = readZipDirectory(file).find((x) => x.name === `logs/${newest}`)!;
    const idx = m.segments![`logs/${newest}`]!;
    const last = idx.at.length - 1;
    const whole = fs.readFileSync(path.join(opened.dir, 'logs', newest));
    expect(readSegment(file, entry, idx, last).equals(whole.subarray(last * idx.bytes))).toBe(true);

    // The same files re-zipped with one log line changed: the manifest's sha256 catches it.
    const names = Object.keys(m.files);
    const entries = [
      { name: 'manifest.json', data: fs.readFileSync(path.join(opened.dir, 'manifest.json')) },
      ...names.map((n) => ({ name: n, data: fs.readFileSync(path.join(opened.dir, ...n.split('/'))) })),
    ];
    const tampered = entries.map((e) =>
      e.name === `logs/${newest}`
        ? {
            ...e,
            data: Buffer.concat([e.data, Buffer.from('2026-01-01 00:00:00.000 +00:00 [FTL] planted\n')]),
          }
        : e,
    );
    fs.writeFileSync(path.join(suite.root, 'tampered.zip'), buildZip(tampered));
    const c = io();
    expect(await checkCommand(['--bundle', path.join(suite.root, 'tampered.zip')], c)).toBe(4);
    expect(c.errText()).toMatch(
      new RegExp(`logs/${newest.replace(/\./g, '\\.')} does not match its manifest`),
    );
    // A file the manifest does not list, and a manifest of another format.
    fs.writeFileSync(
      path.join(suite.root, 'extra.zip'),
      buildZip([...entries, { name: 'logs/extra.log', data: 'x' }]),
    );
    const e = io();
    expect(await checkCommand(['--bundle', path.join(suite.root, 'extra.zip')], e)).toBe(4);
    expect(e.errText()).toMatch(/logs\/extra\.log, which its manifest does not list/);
    fs.writeFileSync(
      path.join(suite.root, 'oldfmt.zip'),
      buildZip([
        { name: 'manifest.json', data: JSON.stringify({ console: 'Aura Ops Console', version: '0.1.0' }) },
      ]),
    );
    const o = io();
    expect(await checkCommand(['--bundle', path.join(suite.root, 'oldfmt.zip')], o)).toBe(4);
    expect(o.errText()).toMatch(/manifest\.json is not one this console can open/);
    // A segment index that reaches outside its entry is refused before any log is read.
    const manifest = JSON.parse(entries[0].data.toString()) as typeof m;
    const lyingIdx = manifest.segments![`logs/${newest}`]!;
    lyingIdx.at[lyingIdx.at.length - 1] = 1e9;
    fs.writeFileSync(
      path.join(suite.root, 'lying-index.zip'),
      buildZip([{ name: 'manifest.json', data: JSON.stringify(manifest) }, ...entries.slice(1)]),
    );
    const li = io();
    expect(await checkCommand(['--bundle', path.join(suite.root, 'lying-index.zip')], li)).toBe(4);
    expect(li.errText()).toMatch(/manifest gives logs\/\S+ a segment index that does not fit it/);
    // Manifests of the right format whose maps are not what they claim: refused, naming the field.
    const shapes: Array<[string, (m: typeof manifest) => void, RegExp]> = [
      ['bad-sha', (x) => (Object.values(x.files)[0]!.sha256 = 'Z'.repeat(64)), /\(files: expected/],
      ['files-array', (x) => ((x as { files: unknown }).files = []), /\(files: expected/],
      ['negative-bytes', (x) => (Object.values(x.files)[0]!.bytes = -1), /\(files: expected/],
      [
        'offset-string',
        (x) => ((x.segments![`logs/${newest}`]!.at as unknown[])[0] = '0'),
        /\(segments: expected/,
      ],
      [
        'extra-key',
        (x) => Object.assign(x.segments![`logs/${newest}`]!, { evil: 1 }),
        /\(segments: expected/,
      ],
      ['huge-segment', (x) => (x.segments![`logs/${newest}`]!.bytes = 1e12), /\(segments: expected/],
    ];
    for (const [name, spoil, why] of shapes) {
      const bad = JSON.parse(entries[0].data.toString()) as typeof manifest;
      spoil(bad);
      fs.writeFileSync(
        path.join(suite.root, `${name}.zip`),
        buildZip([{ name: 'manifest.json', data: JSON.stringify(bad) }, ...entries.slice(1)]),
      );
      const b = io();
      expect(await checkCommand(['--bundle', path.join(suite.root, `${name}.zip`)], b), name).toBe(4);
      expect(b.errText(), name).toMatch(/manifest\.json is not one this console can open/);
      expect(b.errText(), name).toMatch(why);
    }
    // Hostile zips through the same door: slip and symlink, refused before any JSON is read.
    fs.writeFileSync(path.join(suite.root, 'slip.zip'), craftZip([{ name: '../../evil.txt', data: 'x' }]));
    const s = io();
    expect(await checkCommand(['--bundle', path.join(suite.root, 'slip.zip')], s)).toBe(4);
    expect(s.errText()).toMatch(/would leave the bundle folder/);
    // Nothing is left behind in the temp folder by the refused opens.
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('aura-ops-bundle-check-'))).toEqual([]);
  }, 90_000);
});
