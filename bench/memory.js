// Memory check: does the heap stay flat over many enveloped requests?
//
// A child server with requestId()+envelope('vbapi')+errorHandler(), started with --expose-gc, is
// driven with a mix of successes (200 B and 10 kB) and thrown 404s. Its /__heap endpoint (outside the
// envelope, not counted) forces two full GCs and reports process.memoryUsage(): read at the start,
// after a warm-up, halfway and at the end.
'use strict';

const { startServer, stopServer } = require('./children');
const { load, getJson } = require('./drive');
const { round } = require('./stats');

const MIX = [{ path: '/ok' }, { path: '/err' }];
const FLAT_BYTES = 2 * 1024 * 1024;
const FLAT_FRACTION = 0.1;

async function runMemoryCheck({ requests, warmupRequests, connections, log }) {
  const server = await startServer('memory', { execArgv: ['--expose-gc'] });
  try {
    const heap = async () => (await getJson(`${server.url}/__heap`)).heapUsed;
    const drive = async (amount) => {
      const sample = await load(server.url, { connections, amount, requests: MIX, latencies: false });
      if (sample.errors || sample.timeouts) throw new Error(`memory check: ${sample.errors} errors, ${sample.timeouts} timeouts`);
      return sample;
    };
    const start = await heap();
    await drive(warmupRequests);
    const before = await heap();
    const half = Math.floor(requests / 2);
    const first = await drive(half);
    const mid = await heap();
    const second = await drive(requests - half);
    const after = await heap();
    const growth = after - before;
    const statuses = {};
    for (const sample of [first, second]) {
      for (const [code, count] of Object.entries(sample.statuses)) statuses[code] = (statuses[code] || 0) + count;
    }
    const result = {
      requests,
      warmupRequests,
      mix: MIX.map((r) => r.path),
      statuses,
      heapUsed: { start, afterWarmup: before, mid, after },
      growthBytes: growth,
      growthPercent: round((growth / before) * 100, 1),
      flat: growth < FLAT_BYTES || growth / before < FLAT_FRACTION,
      rule: 'growth after the warm-up < 2 MB or < 10 %',
    };
    log(
      `memory: heapUsed ${mb(start)} → ${mb(before)} (warm) → ${mb(mid)} → ${mb(after)} MB after ${requests} requests; ` +
        `growth ${mb(growth)} MB (${result.growthPercent} %), ${result.flat ? 'flat' : 'NOT flat'}`,
    );
    return result;
  } finally {
    await stopServer(server);
  }
}

function mb(bytes) {
  return (bytes / (1024 * 1024)).toFixed(2);
}

module.exports = { runMemoryCheck, mb };
