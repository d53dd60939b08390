// Loaded (--require) into a stand-in utilityProcess: gives it Electron's process.parentPort
// (message events carry { data }) on top of Node's IPC channel.
'use strict';
const { EventEmitter } = require('node:events');

const port = new EventEmitter();
port.postMessage = (message) => {
  if (process.send) process.send(message);
};
process.on('message', (data) => port.emit('message', { data }));
process.parentPort = port;
