#!/usr/bin/env node
// The `aura-ops` command: runs the built CLI (out/main/cli.js), building it first when missing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const cli = path.join(root, 'out', 'main', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write('aura-ops: building the console first (npm run build)…\n');
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (r.status !== 0 || !fs.existsSync(cli)) {
    process.stderr.write('aura-ops: the build failed; run `npm run build` to see why.\n');
    process.exit(1);
  }
}
require(cli).main();
