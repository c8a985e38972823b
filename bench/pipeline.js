// Runs requests through one variant in-process (no sockets, no load generator), for counting the
// instructions a request costs under valgrind: `node bench/pipeline.js <variant> <from> <to>`.
//
// It calls process.uptime() after `from` requests and again after `to`: bench/instructions.js has
// callgrind dump its counters there (--dump-before=node::Uptime), so the second dump holds exactly
// the instructions of requests from+1..to, warm JIT, without the start-up.
'use strict';

const http = require('node:http');
const { Duplex } = require('node:stream');
const { createListener } = require('./variants');

/** A socket that accepts and drops whatever the response writes. */
class Sink extends Duplex {
  _read() {}
  _write(_chunk, _encoding, callback) {
    callback();
  }
}

function once(listener) {
  return new Promise((resolve) => {
    const socket = new Sink();
    const req = new http.IncomingMessage(socket);
    req.method = 'GET';
    req.url = '/';
    req.rawHeaders = ['Host', 'bench'];
    req.headers = { host: 'bench' };
    req.complete = true;
    req.push(null);
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    res.on('finish', resolve);
    listener(req, res);
  });
}

async function main() {
  const [id, from, to] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  if (!id || !(from >= 0) || !(to > from)) throw new Error('usage: node bench/pipeline.js <variant> <from> <to>');
  const listener = await createListener(id);
  for (let i = 0; i < from; i++) await once(listener);
  // The counted part starts after a full GC (bench/instructions.js passes --expose-gc); the
  // scavenges its own requests cause fall inside it.
  globalThis.gc?.();
  process.uptime();
  for (let i = from; i < to; i++) await once(listener);
  process.uptime();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
