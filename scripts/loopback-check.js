// A jest globalSetup: the suite talks to servers it starts on 127.0.0.1. When loopback cannot carry
// a connection (a network namespace with `lo` down, `unshare -rn`), every such test could only fail,
// one request timeout after another, for the better part of an hour; so the run stops here at once,
// with the closing line CI reads and the reason, and a non-zero status.
'use strict';

const net = require('node:net');
const { setTimeout, clearTimeout } = require('node:timers');

/** Resolves when a connection to a fresh server on 127.0.0.1 goes through, rejects otherwise. */
function probe() {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.end());
    const fail = (error) => {
      server.close();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error('no answer within 10 s')), 10_000);
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const socket = net.connect(server.address().port, '127.0.0.1', () => {
        clearTimeout(timer);
        socket.destroy();
        server.close(() => resolve());
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        fail(error);
      });
    });
  });
}

module.exports = async function loopbackCheck() {
  try {
    await probe();
  } catch (error) {
    process.stderr.write(`\nloopback (127.0.0.1) cannot carry a connection: ${error.message}\n`);
    process.stdout.write('tests: 0 passed, 1 failed, 0 skipped (loopback 127.0.0.1 is down: the suite needs it)\n');
    process.exit(1);
  }
};
