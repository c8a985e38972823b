// A bounded load test on loopback: thousands of concurrent mixed requests across presets on one
// app; every response is its router's envelope, and no request id crosses into another response.

import { type AddressInfo } from 'node:net';
import { Agent, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import createError from 'http-errors';
import * as z4 from 'zod';
import { currentRequestId, envelope, errorHandler, notFound, requestId } from '../index';
import { expressOf } from './helpers/create-app';
import { assertSchema } from './helpers/expect-envelope';

export const REQUESTS = 4000;
export const CONCURRENCY = 64;

const PRESETS = ['vbapi', 'backendResponse', 'statusOk', 'problem', 'jsend', 'webServiceReturn'] as const;
const KINDS = ['success', 'thrown', 'validation', 'unknown'] as const;
type Kind = (typeof KINDS)[number];

const tick = () => new Promise<void>((resolve) => (Math.random() < 0.5 ? setImmediate(resolve) : setTimeout(resolve, Math.random() * 3)));

function buildApp() {
  const exp = expressOf('express5');
  const app = exp();
  app.use(requestId());
  for (const preset of PRESETS) {
    const router = exp.Router();
    router.use(envelope(preset, { log: false }));
    router.use(exp.json());
    router.get('/ok', async (req, res) => {
      await tick();
      res.json({ reqId: req.id, contextId: currentRequestId() });
    });
    router.get('/thrown', async () => {
      await tick();
      throw createError(409, `Conflict for ${currentRequestId()}`);
    });
    router.post('/validate', async (req) => {
      await tick();
      z4.object({ age: z4.number() }).parse(req.body);
    });
    app.use(`/${preset}`, router);
  }
  app.use(notFound());
  app.use(errorHandler({ log: false }));
  return app;
}

interface Reply {
  status: number;
  id: string | undefined;
  text: string;
}

function send(port: number, agent: Agent, path: string, id: string | undefined, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (id) headers['X-Request-Id'] = id;
    if (body) headers['Content-Type'] = 'application/json';
    const req = httpRequest({ host: '127.0.0.1', port, path, method: body ? 'POST' : 'GET', headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, id: res.headers['x-request-id'] as string | undefined, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The request id a body carries, where its preset has a slot for one (or the echo route puts it). */
function bodyIds(preset: string, kind: Kind, body: Record<string, unknown>): unknown[] {
  const ids: unknown[] = [];
  if (preset === 'vbapi') ids.push((body.debug as Record<string, unknown>).activityId);
  if (kind === 'success') {
    const data = (['vbapi', 'jsend', 'backendResponse'].includes(preset) ? body.data : body) as Record<string, unknown>;
    ids.push(data.reqId, data.contextId);
  }
  return ids;
}

describe('load: concurrent mixed requests on one app', () => {
  let server: Server;
  let port: number;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  beforeAll(async () => {
    server = buildApp().listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it(`answers ${REQUESTS} requests, ${CONCURRENCY} at a time, each in its own envelope with its own id`, async () => {
    const failures: string[] = [];
    const counts: Record<string, number> = {};
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const preset = PRESETS[i % PRESETS.length];
        const kind = KINDS[Math.floor(i / PRESETS.length) % KINDS.length];
        const sentId = i % 2 === 0 ? `load-${i}` : undefined;
        const path = { success: '/ok', thrown: '/thrown', validation: '/validate', unknown: '/nope' }[kind];
        const reply = await send(port, agent, `/${preset}${path}`, sentId, kind === 'validation' ? '{"age":"x"}' : undefined);
        counts[`${preset} ${kind} ${reply.status}`] = (counts[`${preset} ${kind} ${reply.status}`] ?? 0) + 1;
        try {
          if (sentId) expect(reply.id).toBe(sentId);
          const body = JSON.parse(reply.text) as Record<string, unknown>;
          assertSchema(preset, kind === 'success' ? 'success' : 'error', body);
          for (const id of bodyIds(preset, kind, body)) expect(id).toBe(reply.id);
          if (kind === 'thrown') expect(reply.text).toContain(`Conflict for ${reply.id}`);
        } catch (error) {
          failures.push(`#${i} ${preset}${path}: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures.slice(0, 5)).toEqual([]);
    // Each preset answered each kind with the status its contract names.
    expect(counts).toEqual(
      Object.fromEntries(
        PRESETS.flatMap((preset) =>
          KINDS.map((kind) => {
            const status = {
              success: 200,
              thrown: preset === 'webServiceReturn' || preset === 'statusOk' ? 200 : 409,
              validation: preset === 'webServiceReturn' || preset === 'statusOk' ? 200 : preset === 'backendResponse' ? 422 : 400,
              unknown: preset === 'webServiceReturn' ? 200 : 404,
            }[kind];
            const n = Array.from({ length: REQUESTS }, (_, i) => i).filter(
              (i) => PRESETS[i % PRESETS.length] === preset && KINDS[Math.floor(i / PRESETS.length) % KINDS.length] === kind,
            ).length;
            return [`${preset} ${kind} ${status}`, n];
          }),
        ),
      ),
    );
    // Several seconds on a quiet machine, minutes beside busy neighbours: the limit only catches a hang.
  }, 600_000);
});
