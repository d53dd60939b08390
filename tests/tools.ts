// System tools some suites need (Chromium, redis-server, sqlite3, zsh, shellcheck). Without one, a suite is skipped
// with the reason printed, except under CI (or AURA_OPS_REQUIRE_TOOLS=1), where it fails instead.
import fs from 'node:fs';

const TOOLS = {
  chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // REDIS_SERVER_PATH: the faketime passes of `npm test` point it at a wrapper that runs redis-server on the real clock.
  'redis-server': process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server',
  sqlite3: '/usr/bin/sqlite3',
  zsh: '/usr/bin/zsh',
  // Lints the bash shell-integration script (resources/shell-integration).
  shellcheck: '/usr/bin/shellcheck',
} as const;

export type ToolName = keyof typeof TOOLS;

export function toolPath(name: ToolName): string {
  return TOOLS[name];
}

/** True when the suite must be skipped; throws under CI so a missing tool is a failure there. */
export function missingTool(name: ToolName, suite: string): boolean {
  if (fs.existsSync(TOOLS[name])) return false;
  const msg = `${suite}: needs ${name} at ${TOOLS[name]} (install it: apt-get install ${name === 'sqlite3' ? 'sqlite3' : name})`;
  if (process.env.CI === 'true' || process.env.AURA_OPS_REQUIRE_TOOLS === '1') {
    throw new Error(`${msg}. Refusing to skip under CI.`);
  }
  process.stderr.write(`SKIPPED SUITE: ${msg}\n`);
  return true;
}
