// Loaded with --require (through NODE_OPTIONS) into every Node process of a desktop-host test:
// `require('electron')` gets the stand-in (compiled by tsx), and process.versions says Electron 45.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const standIn = path.join(__dirname, 'stand-in-electron.ts');
const electronVersion = process.env.STAND_IN_ELECTRON_VERSION || '45.5.0';
Object.defineProperty(process.versions, 'electron', { value: electronVersion, enumerable: true });

let loaded = null;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return standIn;
  return resolve.call(this, request, ...rest);
};
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'electron') {
    if (!loaded) loaded = require('tsx/cjs/api').require(standIn, __filename);
    return loaded;
  }
  return load.call(this, request, ...rest);
};
