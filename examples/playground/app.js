// The playground page's script: requests every scenario under every preset of the demo server and
// decodes each response with express-envelope/client, in the page itself.
import { decodeText } from '/playground/client.mjs';

/** [label, preset, variant, prefix] */
const PRESETS = [
  ['vbapi', 'vbapi', undefined, '/vbapi'],
  ['backendResponse', 'backendResponse', undefined, '/backend-response'],
  ['wispanel', 'wispanel', undefined, '/wispanel'],
  ['wispanel portal', 'wispanel', 'portal', '/wispanel-portal'],
  ['wispanel license', 'wispanel', 'license', '/wispanel-license'],
  ['wispanel lean', 'wispanel', 'lean', '/wispanel-lean'],
  ['wispanel bare', 'wispanel', 'bare', '/wispanel-bare'],
  ['webServiceReturn', 'webServiceReturn', undefined, '/web-service-return'],
  ['statusOk', 'statusOk', undefined, '/status-ok'],
  ['jsend', 'jsend', undefined, '/jsend'],
  ['problem', 'problem', undefined, '/problem'],
];

const JSON_BODY = { 'Content-Type': 'application/json' };

/** [label, method, path, init]; the 429 repeats its request until the limiter refuses it. */
const SCENARIOS = [
  ['success', 'GET', '/clients/1'],
  ['info', 'GET', '/info'],
  ['created', 'POST', '/clients', { headers: JSON_BODY, body: '{"name":"New client"}' }],
  ['thrown 404', 'GET', '/clients/404'],
  ['400', 'GET', '/bad-request'],
  ['validation', 'GET', '/validation'],
  ['malformed body', 'POST', '/clients', { headers: JSON_BODY, body: '{"name": "New client",' }],
  ['crash', 'GET', '/crash'],
  ['429', 'GET', '/limited', { repeat: 4 }],
  ['unknown route', 'GET', '/no-such-route'],
];

const results = new Map();
let selected = { preset: 0, scenario: 0 };

/** JSON with BigInt written as `123n`, so an exact id shows as exactly what the caller gets. */
function show(value) {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : v === undefined ? '(undefined)' : v), 2).replace(
    /"(-?\d+n)"/g,
    '$1',
  );
}

async function run(presetIndex, scenarioIndex) {
  const [, preset, variant, prefix] = PRESETS[presetIndex];
  const [label, method, path, init = {}] = SCENARIOS[scenarioIndex];
  const id = `pg-${prefix.slice(1)}-${label.replace(/\W+/g, '-')}`;
  let response;
  let text;
  let decoded;
  for (let attempt = 0; attempt < (init.repeat ?? 1); attempt++) {
    response = await fetch(prefix + path, { method, headers: { ...init.headers, 'X-Request-Id': id }, body: init.body });
    text = await response.text();
    try {
      decoded = decodeText(preset, response.status, text, response.headers, variant ? { variant } : undefined);
    } catch (error) {
      decoded = { refused: true, name: error.name, code: error.code, reason: error.reason };
    }
    if (decoded.ok === false) break;
  }
  const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n');
  return { method, url: prefix + path, status: response.status, statusText: response.statusText, headers, text, decoded };
}

/** The text of a grid cell: what the client decided, in one line. */
function summary(decoded) {
  if (decoded.refused) return `refused ${decoded.code}`;
  if (decoded.ok) return `${decoded.kind} ${decoded.status}`;
  return `error ${decoded.status}${decoded.code === undefined ? '' : ` ${decoded.code}`}`;
}

/** A long code (problem's registered type is a URL) shortened to its last part; the cell shows the whole on hover or focus. */
const LONGEST = 24;
function shorten(text) {
  const [head, ...rest] = text.split(' ');
  const code = rest.slice(1).join(' ');
  if (code.length <= LONGEST) return text;
  const tail = code.split(/[#/]/).filter(Boolean).pop() ?? code.slice(-LONGEST);
  return `${head} ${rest[0]} …${tail}`;
}

function cellClass(decoded) {
  return decoded.refused ? 'refused' : decoded.ok ? 'ok' : 'failed';
}

function render() {
  for (const button of document.querySelectorAll('button.cell')) {
    const on = Number(button.dataset.preset) === selected.preset && Number(button.dataset.scenario) === selected.scenario;
    button.setAttribute('aria-pressed', String(on));
  }
  for (const button of document.querySelectorAll('#switch button')) {
    button.setAttribute('aria-pressed', String(Number(button.dataset.preset) === selected.preset));
  }
  const result = results.get(`${selected.preset}/${selected.scenario}`);
  document.querySelector('#route').textContent =
    `${PRESETS[selected.preset][0]} · ${SCENARIOS[selected.scenario][0]}: ${result ? `${result.method} ${result.url}` : 'loading…'}`;
  document.querySelector('#wire').textContent = result
    ? `HTTP/1.1 ${result.status} ${result.statusText}\n${result.headers}\n\n${result.text}`
    : '';
  document.querySelector('#decoded').textContent = result ? show(result.decoded) : '';
}

function select(preset, scenario) {
  selected = { preset, scenario };
  render();
}

function build() {
  const head = document.querySelector('#grid thead');
  const row = document.createElement('tr');
  row.append(document.createElement('th'));
  for (const [label] of SCENARIOS) {
    const th = document.createElement('th');
    th.textContent = label;
    row.append(th);
  }
  head.append(row);
  const body = document.querySelector('#grid tbody');
  const toggle = document.querySelector('#switch');
  PRESETS.forEach(([label], p) => {
    const tr = document.createElement('tr');
    tr.dataset.preset = label;
    const th = document.createElement('th');
    th.textContent = label;
    tr.append(th);
    SCENARIOS.forEach(([scenario], s) => {
      const td = document.createElement('td');
      const button = document.createElement('button');
      button.className = 'cell';
      button.dataset.preset = String(p);
      button.dataset.scenario = String(s);
      button.dataset.label = `${label} / ${scenario}`;
      button.textContent = '…';
      button.addEventListener('click', () => select(p, s));
      td.append(button);
      tr.append(td);
    });
    body.append(tr);
    const chip = document.createElement('button');
    chip.textContent = label;
    chip.dataset.preset = String(p);
    chip.addEventListener('click', () => select(p, selected.scenario));
    toggle.append(chip);
  });
}

async function main() {
  build();
  render();
  // One preset at a time, its scenarios in parallel: the server sees a small, steady load.
  for (let p = 0; p < PRESETS.length; p++) {
    await Promise.all(
      SCENARIOS.map(async (_scenario, s) => {
        const result = await run(p, s);
        results.set(`${p}/${s}`, result);
        const button = document.querySelector(`button.cell[data-preset="${p}"][data-scenario="${s}"]`);
        const text = summary(result.decoded);
        button.textContent = shorten(text);
        if (button.textContent !== text) {
          button.dataset.full = text;
          button.title = text;
        }
        button.classList.add(cellClass(result.decoded));
      }),
    );
    render();
  }
  document.body.dataset.ready = 'true';
}

main();
