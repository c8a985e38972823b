// Jest's globalSetup: writes the client's reader table from the registry (scripts/readers.js), so
// a preset added to lib/presets.ts is decoded by name in the very next run, then checks loopback
// (scripts/loopback-check.js).
'use strict';

const { writeReaders } = require('./readers');
const loopbackCheck = require('./loopback-check');

module.exports = async function jestSetup() {
  writeReaders();
  await loopbackCheck();
};
