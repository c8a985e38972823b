// Serves the demo app: `npm start` (which builds first), or `PORT=4000 node examples/server.js`.
'use strict';

const { setTimeout } = require('node:timers');
const { createDemoApp, PRESETS } = require('./app');

const port = Number(process.env.PORT || 3000);
const server = createDemoApp().listen(port, () => {
  const base = `http://localhost:${port}`;
  console.log(`express-envelope demo on ${base}  (index: ${base}/)`);
  for (const [prefix, preset] of PRESETS) console.log(`${preset.padEnd(17)}${base}${prefix}/clients/1`);
  console.log('Try also /info, POST /clients, /clients/404, /bad-request, /crash and an unknown path under any prefix.');
});

server.on('error', (err) => {
  console.error(`express-envelope demo: cannot listen on port ${port}: ${err.message}`);
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
