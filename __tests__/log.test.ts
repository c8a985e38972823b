// The default stderr line: request id, trace id, the error, its cause chain, and never a second line.

import request from 'supertest';
import { type LogEntry, stderrLogger } from '../index';
import { createApp } from './helpers/create-app';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

function errorWith(message: string, stack: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(message);
  error.stack = stack;
  return Object.assign(error, extra);
}

let write: jest.SpiedFunction<typeof process.stderr.write>;
beforeEach(() => {
  write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => write.mockRestore());

function lineOf(entry: Partial<LogEntry>): string {
  stderrLogger({ requestId: 'req-1', status: 500, method: 'GET', path: '/api/x', error: undefined, ...entry });
  expect(write).toHaveBeenCalledTimes(1);
  return String(write.mock.calls[0][0]);
}

describe('stderrLogger', () => {
  it('prints the request id, the trace id and the cause chain, messages only', () => {
    const root = new TypeError('connect ECONNREFUSED 10.0.0.5:5432');
    const middle = new Error('query failed', { cause: root });
    const error = errorWith('Could not load invoice', 'Error: Could not load invoice\n    at load (/app/invoices.js:12:11)', {
      cause: middle,
    });
    expect(lineOf({ traceId: TRACE, error })).toBe(
      'express-envelope: request req-1 trace 4bf92f3577b34da6a3ce929d0e0e4736 GET /api/x failed with 500: ' +
        'Error: Could not load invoice | at load (/app/invoices.js:12:11) | caused by: Error: query failed | caused by: TypeError: connect ECONNREFUSED 10.0.0.5:5432\n',
    );
  });

  it('follows at most 5 causes', () => {
    let error: unknown = 'the root';
    for (let i = 7; i >= 1; i--) error = errorWith(`level ${i}`, `Error: level ${i}`, { cause: error });
    expect(lineOf({ error })).toBe(
      'express-envelope: request req-1 GET /api/x failed with 500: Error: level 1' +
        ' | caused by: Error: level 2 | caused by: Error: level 3 | caused by: Error: level 4 | caused by: Error: level 5 | caused by: Error: level 6 | caused by: …\n',
    );
  });

  it('stops at a cycle', () => {
    const a = errorWith('a', 'Error: a');
    const b = errorWith('b', 'Error: b', { cause: a });
    Object.assign(a, { cause: b });
    expect(lineOf({ error: a })).toBe(
      'express-envelope: request req-1 GET /api/x failed with 500: Error: a | caused by: Error: b | caused by: (cycle)\n',
    );
  });

  it('stops at a cause getter that throws, and prints a non-error cause by its type', () => {
    const hostile = errorWith('outer', 'Error: outer');
    Object.defineProperty(hostile, 'cause', {
      get() {
        throw new Error('no');
      },
    });
    expect(lineOf({ error: hostile })).toBe(
      'express-envelope: request req-1 GET /api/x failed with 500: Error: outer | caused by: (unreadable)\n',
    );
    write.mockClear();
    const plain = errorWith('outer', 'Error: outer', { cause: { secret: 'x' } });
    expect(lineOf({ error: plain })).toBe(
      'express-envelope: request req-1 GET /api/x failed with 500: Error: outer | caused by: non-error object\n',
    );
  });

  it('folds a bare CR, CRLF and LF, in the message, the code, the cause and the path, into one line', () => {
    const cause = new Error('inner\rforged: yes');
    const error = errorWith('x', 'Error: x\r\n    at a\r    at b', { code: 'E_BAD\nforged', cause });
    expect(lineOf({ error, path: '/a\rb' })).toBe(
      'express-envelope: request req-1 GET /a | b failed with 500: [E_BAD | forged] Error: x | at a | at b | caused by: Error: inner | forged: yes\n',
    );
  });

  it('escapes other control characters (ESC, NUL, DEL) and turns a tab into a space', () => {
    const error = errorWith('x', 'Error: \u001b[31mred\u001b[0m\u0000\u007f\tend');
    expect(lineOf({ error })).toBe(
      'express-envelope: request req-1 GET /api/x failed with 500: Error: \\u001b[31mred\\u001b[0m\\u0000\\u007f end\n',
    );
  });

  it('prints a string thrown, and names anything else by its type', () => {
    expect(lineOf({ error: 'plain\ntext' })).toBe('express-envelope: request req-1 GET /api/x failed with 500: plain | text\n');
    write.mockClear();
    expect(lineOf({ error: 42 })).toBe('express-envelope: request req-1 GET /api/x failed with 500: non-error number thrown\n');
  });
});

describe('the default line of a real request', () => {
  it('carries the request id, the trace id and the cause chain', async () => {
    const app = createApp('express5', {
      mounts: [],
      requestId: { traceparent: true },
      routes: {
        '/invoices/7': () => {
          const cause = new Error('connect ECONNREFUSED 10.0.0.5:5432');
          throw errorWith('Could not load invoice 7', 'Error: Could not load invoice 7\n    at loadInvoice (/app/invoices.js:12:11)', {
            cause,
          });
        },
      },
    });
    await request(app).get('/invoices/7?token=secret').set('traceparent', `00-${TRACE}-00f067aa0ba902b7-01`).expect(500);
    expect(write.mock.calls.map(([line]) => String(line))).toEqual([
      'express-envelope: request 4bf92f3577b34da6a3ce929d0e0e4736 trace 4bf92f3577b34da6a3ce929d0e0e4736 GET /invoices/7 failed with 500: ' +
        'Error: Could not load invoice 7 | at loadInvoice (/app/invoices.js:12:11) | caused by: Error: connect ECONNREFUSED 10.0.0.5:5432\n',
    ]);
  });
});
