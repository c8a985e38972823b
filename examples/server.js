// Serves the demo app: `npm start` (which builds first), or `PORT=4000 node examples/server.js`.
// It listens on 127.0.0.1 only; `HOST=0.0.0.0` (or another address) opens it to the network.
'use strict';

const { setTimeout } = require('node:timers');
const { createDemoApp, PRESETS } = require('./app');

const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '127.0.0.1';
const server = createDemoApp().listen(port, host, () => {
  // The address really bound (PORT=0 picks a free port), bracketed when it is IPv6.
  const address = server.address();
  const shown = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;
  const base = `http://${shown}:${address.port}`;
  console.log(`express-envelope demo on ${base}  (playground and JSON index: ${base}/)`);
  for (const [prefix, preset] of PRESETS) console.log(`${preset.padEnd(17)}${base}${prefix}/clients/1`);
  console.log(
    'Try also /info, POST /clients, /clients/404, /bad-request, /validation, POST /payments, /limited, /crash and an unknown path under any prefix.',
  );
});

server.on('error', (err) => {
  console.error(`express-envelope demo: cannot listen on ${host}:${port}: ${err.message}`);
  process.exitCode = 1;
});

function shutdown(signal) {
  console.log(`${signal} received, closing the server`);
  server.close(() => process.exit(0));
  // Keep-alive connections would hold close() open: end idle ones now, and give up after a while.
  if (typeof server.closeIdleConnections === 'function') server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
}

process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));

module.exports = { server };
