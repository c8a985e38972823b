// The real OpenTelemetry SDK (sdk-trace-node, an in-memory exporter, the HTTP and Express
// instrumentations registered before http and express load), in a child process, over every preset ×
// scenario on Express 5, Express 4 and Connect: the server span's status, `error.type`, exception
// events and the package's attributes exactly; X-Request-Id is the trace id (requestId({ fromSpan }));
// problem's `traceId` is the span's. Without an SDK every byte is the same; an exporter and an
// onError hook that throw change nothing either.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Exchange, type Flavor, type TracedSpan, bundle, renderTrace, runTraced } from './traced';
import { PRESETS, SCENARIOS, STACK, type Scenario, expectedSpan, wireStatus } from './scenarios';
import type { PresetName } from '../../index';

jest.setTimeout(300_000);

const TRACE_ID = /^[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let built: Awaited<ReturnType<typeof bundle>> | undefined;
const runs = new Map<string, Promise<Exchange[]>>();

beforeAll(async () => {
  built = await bundle();
});

afterAll(async () => {
  // Every child has ended (each run is awaited by its tests, and each kills itself at worst).
  await Promise.allSettled(runs.values());
  await built?.cleanup();
});

/** One child per flavor and mode, shared by the tests that read it. */
function traced(flavor: Flavor, mode: 'sdk' | 'none' | 'throwing'): Promise<Exchange[]> {
  const key = `${flavor}/${mode}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = runTraced(built!.script, built!.dir, flavor, mode);
    runs.set(key, run);
  }
  return run;
}

function serverSpan(exchange: Exchange): TracedSpan {
  const servers = exchange.spans.filter((span) => span.kind === 1);
  expect(servers).toHaveLength(1);
  return servers[0];
}

/** The package's attributes and error.type, from all the server span's attributes. */
function ours(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([key]) => key.startsWith('express_envelope.') || key === 'error.type'));
}

/** A body with its request id replaced, so runs with different ids compare byte for byte. */
function normalized({ body, requestId, status, contentType, preset, scenario }: Exchange): string {
  return JSON.stringify({ preset, scenario, status, contentType, body: body.split(requestId).join('<id>') });
}

function presetOf(name: string): PresetName {
  return (name === 'problem-traced' ? 'problem' : name) as PresetName;
}

describe.each<Flavor>(['express5', 'express4', 'connect'])('the OpenTelemetry SDK on %s', (flavor) => {
  const scenarios = SCENARIOS.filter((s) => !(flavor === 'connect' && s === 'conflict'));

  it('runs every preset × scenario', async () => {
    const exchanges = await traced(flavor, 'sdk');
    expect(exchanges.map((e) => `${e.preset} ${e.scenario}`)).toEqual(
      [...PRESETS, 'problem-traced'].flatMap((preset) => scenarios.map((scenario) => `${preset} ${scenario}`)),
    );
  });

  it.each([...PRESETS, 'problem-traced'])('%s: the server span says what the response meant', async (preset) => {
    const exchanges = (await traced(flavor, 'sdk')).filter((e) => e.preset === preset);
    for (const exchange of exchanges) {
      const scenario = exchange.scenario as Scenario;
      const span = serverSpan(exchange);
      const label = `${preset} ${scenario}`;
      expect({ label, status: exchange.status }).toEqual({ label, status: wireStatus(presetOf(preset), scenario) });
      // requestId({ fromSpan: true }): no incoming id, so the trace id is the request id.
      expect(exchange.requestId).toMatch(TRACE_ID);
      expect(exchange.requestId).toBe(span.traceId);
      const expected = expectedSpan(presetOf(preset), scenario, exchange.requestId);
      const events = span.events.map((event) => ({
        name: event.name,
        attributes: { ...event.attributes, ...('exception.stacktrace' in event.attributes ? { 'exception.stacktrace': STACK } : {}) },
      }));
      expect({ label, status: span.status, attributes: ours(span.attributes), events }).toEqual({ label, ...expected });
      for (const event of span.events) {
        // The stack is the original error's, thrown by the route.
        expect(String(event.attributes['exception.stacktrace'])).toMatch(/^(Error|UnauthorizedError): db-password=hunter2\n\s+at /);
      }
      // The HTTP instrumentation's own view agrees.
      expect(span.attributes['http.status_code'] ?? span.attributes['http.response.status_code']).toBe(exchange.status);
    }
  });

  it('problem with traceId: true puts the span trace id in every error body, and nothing in successes', async () => {
    const exchanges = (await traced(flavor, 'sdk')).filter((e) => e.preset === 'problem-traced');
    for (const exchange of exchanges) {
      const body = JSON.parse(exchange.body) as Record<string, unknown>;
      if (exchange.scenario === 'success') expect(body).toEqual({ id: 1, name: 'Example' });
      else expect(body.traceId).toBe(serverSpan(exchange).traceId);
    }
    const plain = (await traced(flavor, 'sdk')).filter((e) => e.preset === 'problem' && e.scenario !== 'success');
    for (const exchange of plain) expect(JSON.parse(exchange.body)).not.toHaveProperty('traceId');
  });

  it('without an SDK: the same bytes, no trace, and a fresh id where the span gave one', async () => {
    const [withSdk, without] = await Promise.all([traced(flavor, 'sdk'), traced(flavor, 'none')]);
    expect(without.map(normalized)).toEqual(
      withSdk.map((exchange) =>
        // Only problem's traceId member, asked for, differs.
        exchange.preset === 'problem-traced' && exchange.scenario !== 'success'
          ? normalized({ ...exchange, body: JSON.stringify({ ...JSON.parse(exchange.body), traceId: undefined }) })
          : normalized(exchange),
      ),
    );
    for (const exchange of without) {
      expect(exchange.requestId).toMatch(UUID);
      expect(exchange.spans).toEqual([]);
    }
  });

  it('an exporter and an onError hook that throw change no response', async () => {
    const [withSdk, throwing] = await Promise.all([traced(flavor, 'sdk'), traced(flavor, 'throwing')]);
    expect(throwing.map(normalized)).toEqual(withSdk.map(normalized));
    for (const exchange of throwing) expect(exchange.requestId).toBe(serverSpan(exchange).traceId);
  });
});

describe('the picture of a trace in docs/guides/observability.md', () => {
  it('is what the SDK recorded for three requests on Express 5', async () => {
    const exchanges = await traced('express5', 'sdk');
    const pick = (preset: string, scenario: string): Exchange => exchanges.find((e) => e.preset === preset && e.scenario === scenario)!;
    const picture = [pick('vbapi', 'crash'), pick('statusOk', 'soft'), pick('vbapi', 'validation')].map(renderTrace).join('\n\n');
    const page = readFileSync(join(__dirname, '..', '..', 'docs', 'guides', 'observability.md'), 'utf8');
    const block = /<!-- trace picture -->\n```text\n([\s\S]*?)\n```/.exec(page);
    // On a mismatch, the expected text is the block to paste.
    expect(block?.[1]).toBe(picture);
  });
});
