// electron-builder afterPack hook: gives node-pty's spawn-helper its execute bit back. node-pty
// 1.1.0 ships it without one (microsoft/node-pty#850), and every macOS terminal would fail to start.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Every file named spawn-helper under dir (the unpacked node-pty: prebuilds and build output). */
function findHelpers(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findHelpers(p, out);
    else if (e.name === 'spawn-helper') out.push(p);
  }
  return out;
}

/** @param {{ appOutDir: string, packager: { appInfo: { productFilename: string } }, electronPlatformName: string }} context */
exports.default = async function afterPack(context) {
  const resources =
    context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas'
      ? path.join(
          context.appOutDir,
          `${context.packager.appInfo.productFilename}.app`,
          'Contents',
          'Resources',
        )
      : path.join(context.appOutDir, 'resources');
  const helpers = findHelpers(path.join(resources, 'app.asar.unpacked', 'node_modules', 'node-pty'));
  for (const h of helpers) fs.chmodSync(h, 0o755);
  console.log(`  • after-pack: spawn-helper made executable (${helpers.length} file(s))`);
};
