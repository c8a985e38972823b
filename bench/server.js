// Child entry: serves one variant on 127.0.0.1 at a free port and announces the port over IPC.
//
//   fork('bench/server.js', [variantId])  ->  { type: 'ready', id, port }
//
// It exits when the parent says { type: 'exit' } (so --cpu-prof can write its profile) or when the
// IPC channel closes (the parent died), so no server outlives a run.
'use strict';

const http = require('node:http');
const { createListener } = require('./variants');

async function main() {
  const id = process.argv[2];
  if (!process.send) throw new Error('bench/server.js must be started with fork() (it reports over IPC)');
  const server = http.createServer(await createListener(id));
  server.listen(0, '127.0.0.1', () => {
    process.send({ type: 'ready', id, port: server.address().port });
  });
}

process.on('message', (message) => {
  if (message && message.type === 'exit') process.exit(0);
  // The CPU time this server has used so far: sampled around each round, divided by the requests.
  if (message && message.type === 'cpu') process.send({ type: 'cpu', seq: message.seq, usage: process.cpuUsage() });
});
process.on('disconnect', () => process.exit(0));

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
