// Builds the same test app on Express 5, Express 4 or plain Connect, so every suite runs on all three.

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import connect from 'connect';
import express5 from 'express';
import {
  type EnvelopeOptions,
  type ErrorHandlerOptions,
  type Format,
  type PresetName,
  type RequestIdOptions,
  envelope,
  errorHandler,
  notFound,
  requestId,
} from '../../index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const express4 = require('express4') as typeof express5;

export type Flavor = 'express5' | 'express4' | 'connect';

/** The express module of an Express flavor. */
export function expressOf(flavor: Flavor): typeof express5 {
  return flavor === 'express4' ? express4 : express5;
}
export const FLAVORS: Flavor[] = ['express5', 'express4', 'connect'];
export const EXPRESS_FLAVORS: Flavor[] = ['express5', 'express4'];

/** What a route handler sees: Node's objects plus what Express (or envelope()) adds. */
export type Req = IncomingMessage & { id?: string; body?: unknown; originalUrl?: string };
export type Res = ServerResponse & {
  json(body?: unknown): Res;
  success(data?: unknown, extras?: object): Res;
  info(data?: unknown, extras?: object): Res;
  send?(body?: unknown): Res;
};
export type Handler = (req: Req, res: Res, next: (err?: unknown) => void) => unknown;

export interface Mount {
  /** Where the envelope and the routes are mounted, e.g. `/api`. */
  prefix: string;
  format: PresetName | Format;
  options?: EnvelopeOptions & Record<string, unknown>;
  /** Paths below the prefix → handlers (any method). */
  routes: Record<string, Handler>;
}

export interface AppSpec {
  mounts: Mount[];
  /** Routes outside every envelope. */
  routes?: Record<string, Handler>;
  requestId?: RequestIdOptions | false;
  errorHandler?: ErrorHandlerOptions;
  /** JSON body limit; bodies are parsed for every route. */
  limit?: string;
  /** Middleware that runs first, before requestId(). */
  before?: Handler[];
}

/** Runs a handler that may be async, forwarding a rejection as Express 5 does (Express 4 and Connect don't). */
function safe(handler: Handler): Handler {
  return (req, res, next) => {
    try {
      const result = handler(req, res, next) as unknown;
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, (err: unknown) => next(err ?? new Error('Rejected with ' + String(err))));
      }
    } catch (err) {
      next(err);
    }
  };
}

/** In Connect, `use(path)` matches a prefix: a route must see exactly its own path. */
function exact(handler: Handler): Handler {
  return (req, res, next) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    if (path === '/' || path === '') return safe(handler)(req, res, next);
    next();
  };
}

type Use = (path: string | Handler, handler?: Handler) => void;

export function createApp(flavor: Flavor, spec: AppSpec): RequestListener {
  const app = flavor === 'connect' ? connect() : flavor === 'express4' ? express4() : express5();
  const use = app.use.bind(app) as unknown as Use;
  const route = (path: string, handler: Handler): void => {
    if (flavor === 'connect') use(path, exact(handler));
    else (app as unknown as { all(path: string, h: Handler): void }).all(path, safe(handler));
  };

  for (const handler of spec.before ?? []) use(handler);
  if (spec.requestId !== false) use(requestId(spec.requestId) as unknown as Handler);
  for (const mount of spec.mounts) use(mount.prefix, envelope(mount.format as PresetName, mount.options) as unknown as Handler);
  use(bodyParser.json({ limit: spec.limit ?? '1kb' }) as unknown as Handler);
  for (const mount of spec.mounts) {
    for (const [path, handler] of Object.entries(mount.routes)) route(mount.prefix + path, handler);
  }
  for (const [path, handler] of Object.entries(spec.routes ?? {})) route(path, handler);
  use(notFound() as unknown as Handler);
  use(errorHandler(spec.errorHandler) as unknown as Handler);
  return app as unknown as RequestListener;
}

/** Silences the default stderr log line in a suite that provokes 5xx on purpose. */
export function quiet(): void {
  let spy: jest.SpyInstance | undefined;
  beforeEach(() => {
    spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => spy?.mockRestore());
}

export type { IncomingMessage, ServerResponse };
