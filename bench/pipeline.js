// Runs N requests through one variant in-process (no sockets, no load generator), for counting
// the instructions a request costs: `node bench/pipeline.js <variant> <n>`.
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
  const [id, count] = [process.argv[2], Number(process.argv[3])];
  const listener = await createListener(id);
  for (let i = 0; i < count; i++) await once(listener);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
