// Load generation with autocannon's programmatic API: one load, a warm-up pass, interleaved rounds,
// and a probe that checks a variant answers what it should before it is measured.
'use strict';

const { Buffer } = require('node:buffer');
const http = require('node:http');
const autocannon = require('autocannon');
const { median, percentile } = require('./stats');
const { cpuTicks, stealPercent } = require('./steal');
const { cpuMicros } = require('./children');

/** autocannon stops on its sampling tick: 250 ms ticks let a run last 0.5 s, 2.5 s… */
const SAMPLE_INTERVAL_MS = 250;

/**
 * Drives `url` for `seconds` (or for `amount` requests) and returns req/s, latency percentiles (ms,
 * measured per response, not bucketed), the status counts and the machine's CPU steal meanwhile.
 */
async function load(url, { connections, pipelining = 1, seconds, amount, requests, latencies = true }) {
  const options = { url, connections, pipelining, sampleInt: SAMPLE_INTERVAL_MS };
  if (amount) options.amount = amount;
  else options.duration = seconds;
  if (requests) options.requests = requests;
  const samples = [];
  const ticks = cpuTicks();
  const instance = autocannon(options);
  if (latencies) instance.on('response', (_client, _status, _bytes, ms) => samples.push(ms));
  const result = await instance;
  const steal = stealPercent(ticks, cpuTicks());
  const statuses = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statuses[code] = count;
  return {
    rps: result.requests.total / result.duration,
    p50: latencies ? percentile(samples, 50) : undefined,
    p99: latencies ? percentile(samples, 99) : undefined,
    total: result.requests.total,
    seconds: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    steal,
  };
}

/** GET `url` once, without keep-alive; resolves with `{ status, headers, body }`. */
function get(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      res.on('error', reject);
    });
    request.on('error', reject);
  });
}

async function getJson(url) {
  const { status, body } = await get(url);
  if (status !== 200) throw new Error(`GET ${url}: HTTP ${status}`);
  return JSON.parse(body);
}

/** Checks a variant before measuring it: the expected status, a JSON body, the request id header. */
async function probe(server, variant) {
  const { status, headers, body } = await get(`${server.url}/`);
  const problems = [];
  if (status !== variant.status) problems.push(`status ${status}, expected ${variant.status}`);
  try {
    JSON.parse(body);
  } catch {
    problems.push(`a body that is not JSON: ${body.slice(0, 80)}`);
  }
  if (variant.requestIdHeader && !headers['x-request-id']) problems.push('no X-Request-Id header');
  if (problems.length) throw new Error(`variant ${variant.id} answered ${problems.join('; ')}`);
  return { status, bytes: Buffer.byteLength(body), contentType: headers['content-type'] };
}

/** Responses with another status than the variant's own, and socket errors/timeouts. */
function anomalies(sample, expectedStatus) {
  let unexpected = 0;
  for (const [code, count] of Object.entries(sample.statuses)) if (Number(code) !== expectedStatus) unexpected += count;
  return unexpected + sample.errors + sample.timeouts;
}

/**
 * Measures `rounds` rounds, each driving every server in turn (A B C … A B C …) so machine noise
 * falls on all of them alike. Resolves with the samples per id.
 */
async function measureInterleaved(entries, { connections, pipelining, rounds, seconds, log }) {
  const samples = new Map(entries.map(({ variant }) => [variant.id, []]));
  for (let round = 1; round <= rounds; round++) {
    const started = Date.now();
    for (const { server, variant } of entries) {
      const before = await cpuMicros(server);
      const sample = await load(server.url, { connections, pipelining, seconds });
      // Server CPU per request: unlike req/s, it does not move with CPU steal or with the load
      // generator's share of the machine, so it is the steadier measure of the server's own cost.
      sample.cpuUs = (await cpuMicros(server)) - before;
      sample.cpuPerRequest = sample.total > 0 ? sample.cpuUs / sample.total : undefined;
      sample.anomalies = anomalies(sample, variant.status);
      samples.get(variant.id).push(sample);
    }
    log(`round ${round}/${rounds} done in ${((Date.now() - started) / 1000).toFixed(1)} s${roundLine(entries, samples)}`);
  }
  return samples;
}

function roundLine(entries, samples) {
  const bare = entries.find(({ variant }) => variant.id === 'small/bare');
  if (!bare) return '';
  const last = samples.get('small/bare');
  return ` (bare 200 B: ${Math.round(last[last.length - 1].rps)} req/s, median so far ${Math.round(median(last.map((s) => s.rps)))})`;
}

module.exports = { load, get, getJson, probe, measureInterleaved };
