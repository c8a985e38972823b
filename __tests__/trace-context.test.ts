// requestId({ traceparent: true }): the trace id becomes the request id when no id is reused, and
// the package's log entries carry it.

import { createServer } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { type LogEntry, currentRequestId } from '../index';
import { FLAVORS, type Handler, createApp } from './helpers/create-app';
import { UUID_V4, expectEnvelope } from './helpers/expect-envelope';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const VALID = `00-${TRACE}-00f067aa0ba902b7-01`;

const routes: Record<string, Handler> = {
  '/id': (req, res) => res.json({ reqId: req.id, current: currentRequestId() }),
  '/crash': () => {
    throw new Error('boom');
  },
};

describe.each(FLAVORS)('requestId({ traceparent: true }) on %s', (flavor) => {
  const entries: LogEntry[] = [];
  const log = (entry: LogEntry): void => {
    entries.push(entry);
  };
  const app = createApp(flavor, {
    mounts: [{ prefix: '/api', format: 'jsend', options: { log }, routes }],
    requestId: { traceparent: true },
    errorHandler: { log },
  });
  beforeEach(() => entries.splice(0));
  const ok = (res: request.Response, id: string): void =>
    expectEnvelope(res, {
      format: 'jsend',
      kind: 'success',
      status: 200,
      body: { status: 'success', data: { reqId: id, current: id } },
      headers: { 'X-Request-Id': id },
    });

  it('takes the trace id of a valid traceparent as the request id', async () => {
    ok(await request(app).get('/api/id').set('traceparent', VALID), TRACE);
  });

  it('lets a trusted X-Request-Id win over the traceparent', async () => {
    ok(await request(app).get('/api/id').set('traceparent', VALID).set('X-Request-Id', 'req-7'), 'req-7');
  });

  it.each([
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['version ff', `ff-${TRACE}-00f067aa0ba902b7-01`],
    ['upper case', VALID.toUpperCase()],
    ['wrong length', VALID + '0'],
  ])('ignores an invalid traceparent (%s): a fresh id', async (_name, value) => {
    const res = await request(app).get('/api/id').set('traceparent', value);
    expect(res.headers['x-request-id']).toMatch(UUID_V4);
    ok(res, res.headers['x-request-id']);
  });

  it('puts requestId and traceId in the log entry of a 5xx, also when X-Request-Id gave the id', async () => {
    await request(app).get('/api/crash').set('traceparent', VALID).expect(500);
    await request(app).get('/api/crash').set('traceparent', VALID).set('X-Request-Id', 'req-8').expect(500);
    await request(app).get('/api/crash').set('X-Request-Id', 'req-9').expect(500);
    expect(entries.map(({ requestId, traceId, status, method, path }) => ({ requestId, traceId, status, method, path }))).toEqual([
      { requestId: TRACE, traceId: TRACE, status: 500, method: 'GET', path: '/api/crash' },
      { requestId: 'req-8', traceId: TRACE, status: 500, method: 'GET', path: '/api/crash' },
      { requestId: 'req-9', traceId: undefined, status: 500, method: 'GET', path: '/api/crash' },
    ]);
    expect('traceId' in entries[2]).toBe(false);
  });
});

describe('traceparent off (the default)', () => {
  it('ignores a valid traceparent', async () => {
    const app = createApp('express5', { mounts: [{ prefix: '/api', format: 'jsend', routes }] });
    const res = await request(app).get('/api/id').set('traceparent', VALID);
    expect(res.headers['x-request-id']).toMatch(UUID_V4);
  });
});

describe('traceparent with trustIncoming: false', () => {
  it('still gives the id: it is its own opt-in', async () => {
    const app = createApp('express5', {
      mounts: [{ prefix: '/api', format: 'jsend', routes }],
      requestId: { traceparent: true, trustIncoming: false },
    });
    const res = await request(app).get('/api/id').set('traceparent', VALID).set('X-Request-Id', 'req-7');
    expect([res.headers['x-request-id'], res.text]).toEqual([
      TRACE,
      `{"status":"success","data":{"reqId":"${TRACE}","current":"${TRACE}"}}`,
    ]);
  });
});

describe('a traceparent header sent twice', () => {
  it('reaches the app joined with ", " and is ignored', async () => {
    const app = createApp('express5', { mounts: [{ prefix: '/api', format: 'jsend', routes }], requestId: { traceparent: true } });
    const server = createServer(app);
    let raw: string;
    // Closed whatever happens: a failed connection must not leave the server holding the run open.
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      const { port } = server.address() as { port: number };
      raw = await new Promise<string>((resolve, reject) => {
        let text = '';
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(`GET /api/id HTTP/1.1\r\nHost: x\r\ntraceparent: ${VALID}\r\ntraceparent: ${VALID}\r\nConnection: close\r\n\r\n`);
        });
        socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        socket
          .on('end', () => resolve(text))
          .on('error', (error) => {
            socket.destroy();
            reject(error);
          });
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    }
    const id = /x-request-id: (\S+)/i.exec(raw)?.[1];
    expect(id).toMatch(UUID_V4);
    expect(raw.endsWith(`{"status":"success","data":{"reqId":"${id}","current":"${id}"}}`)).toBe(true);
  });
});
