// The README's layer rules are enforced: eslint refuses the imports each layer must not make, and
// each layer's tsconfig refuses the globals it must not use (probe files compiled with the real tsc).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..');
/** tsc on a one-file project: a few seconds, more on a loaded machine. */
const TSC_MS = 120_000;

describe('layer imports (eslint)', () => {
  const eslint = new ESLint({ cwd: REPO });
  /** The import specifiers eslint refuses in `file`, of those given. */
  async function refused(file: string, specifiers: string[]): Promise<string[]> {
    const code = specifiers
      .map((s, i) => `import * as m${i} from '${s}';\nexport const v${i} = m${i};\n`)
      .join('');
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
    const lines = result.messages
      .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
      .map((m) => m.line);
    return specifiers.filter((_, i) => lines.includes(2 * i + 1));
  }

  it('src/shared: no Node, DOM or Electron, nothing from main, preload or the renderer', async () => {
    const bad = [
      'node:fs',
      'fs',
      'child_process',
      'electron',
      'better-sqlite3',
      'react',
      '@xterm/xterm',
      '../main/paths',
      '../../renderer/src/transport',
      '../preload/index',
    ];
    expect(await refused('src/shared/probe.ts', [...bad, 'zod', './clock', './runbooks/types'])).toEqual(bad);
  });

  it('src/renderer: only shared and browser packages', async () => {
    const bad = [
      'node:path',
      'os',
      'electron',
      'node-pty',
      '../../main/services/terminal/service',
      '../../../preload/index',
    ];
    expect(
      await refused('src/renderer/src/probe.ts', [
        ...bad,
        'react',
        '@xterm/xterm',
        '../../shared/contract',
        './transport',
      ]),
    ).toEqual(bad);
  });

  it('services: never a host, Electron, the renderer or the preload', async () => {
    const bad = ['electron', '../../hosts/serve', '../../hosts', '../../../renderer/src/transport', 'react'];
    expect(
      await refused('src/main/services/probes/probe.ts', [
        ...bad,
        'node:fs',
        'better-sqlite3',
        '../../../shared/triage',
        '../system/proc-table',
      ]),
    ).toEqual(bad);
  });

  it('hosts and the rest of main: never the renderer or the preload', async () => {
    expect(
      await refused('src/main/hosts/probe.ts', ['../../renderer/src/App', 'react-dom', 'electron', '../api']),
    ).toEqual(['../../renderer/src/App', 'react-dom']);
    expect(await refused('src/main/probe.ts', ['../preload/index', 'node:fs', './services/context'])).toEqual(
      ['../preload/index'],
    );
  });

  it('tests may use Node in any layer', async () => {
    expect(await refused('src/shared/probe.test.ts', ['node:fs', 'node:child_process'])).toEqual([]);
  });
});

describe('layer globals (tsc per layer)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-layers-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The globals tsc cannot find when `probe` is compiled under the layer's tsconfig. */
  function missingGlobals(layerConfig: string, globals: string[]): string[] {
    const sub = fs.mkdtempSync(path.join(dir, 'p-'));
    fs.writeFileSync(
      path.join(sub, 'probe.ts'),
      globals.map((g, i) => `export const g${i} = typeof ${g};\n`).join(''),
    );
    fs.writeFileSync(
      path.join(sub, 'tsconfig.json'),
      JSON.stringify({
        extends: path.join(REPO, layerConfig),
        compilerOptions: { typeRoots: [path.join(REPO, 'node_modules', '@types')] },
        include: ['probe.ts'],
        exclude: [],
      }),
    );
    const r = spawnSync(
      process.execPath,
      [path.join(REPO, 'node_modules', 'typescript-native', 'bin', 'tsc'), '--noEmit', '-p', sub],
      { encoding: 'utf8' },
    );
    const lines = [...r.stdout.matchAll(/probe\.ts\((\d+),\d+\): error TS\d+: Cannot find name/g)].map((m) =>
      Number(m[1]),
    );
    if (r.status !== 0 && lines.length === 0) throw new Error(`tsc failed otherwise: ${r.stdout}${r.stderr}`);
    return globals.filter((_, i) => lines.includes(i + 1));
  }

  const NODE = ['process', 'Buffer', '__dirname', 'require'];
  const DOM = ['document', 'window', 'localStorage', 'requestAnimationFrame'];

  it('src/shared has neither Node nor DOM globals', { timeout: TSC_MS }, () => {
    expect(missingGlobals('tsconfig.shared.json', [...NODE, ...DOM, 'Math', 'Intl'])).toEqual([
      ...NODE,
      ...DOM,
    ]);
  });

  it('src/renderer has the DOM and no Node', { timeout: TSC_MS }, () => {
    expect(missingGlobals('tsconfig.renderer.json', [...NODE, ...DOM])).toEqual(NODE);
  });

  it('src/main and src/preload have Node and no DOM', { timeout: TSC_MS }, () => {
    expect(missingGlobals('tsconfig.main.json', [...NODE, ...DOM])).toEqual(DOM);
  });

  it('the root config (tests, scripts) keeps both', { timeout: TSC_MS }, () => {
    expect(missingGlobals('tsconfig.json', [...NODE, ...DOM])).toEqual([]);
  });
});
