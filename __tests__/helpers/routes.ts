// The routes every preset suite exercises, so each preset is held to its page in docs/reference/presets/ on the same paths.

import createError from 'http-errors';
import request from 'supertest';
import type { PresetName } from '../../index';
import { type Flavor, type Handler, createApp } from './create-app';

export const SECRET = 'db-password=hunter2';

export const standardRoutes: Record<string, Handler> = {
  '/ok': (_req, res) => res.json({ id: 1, name: 'Example' }),
  '/list': (_req, res) => res.json([{ id: 1, name: 'Example' }]),
  '/created': (_req, res) => res.success({ id: 2, name: 'New' }, { status: 201 }),
  // Connect has no res.status(): the status is set the Node way, which Express reads the same.
  '/created-status': (_req, res) => {
    res.statusCode = 201;
    res.json({ id: 2, name: 'New' });
  },
  '/empty': (_req, res) => res.success(),
  '/info': (_req, res) => res.info({ max_tickets: 3 }, { action: 'zone_ticket_limit_reached' }),
  '/action': (_req, res) => res.success({ service_id: 12345, name: 'Juan Pérez' }, { action: 'client_found' }),
  '/meta': (_req, res) => res.success([], { meta: { total: 0, per_page: 50, current_page: 1, last_page: 1 } }),
  '/not-found': () => {
    throw createError(404, 'Client not found');
  },
  '/bad-request': () => {
    throw createError(400, 'Username and password are required');
  },
  '/unauthorized': () => {
    throw createError(401, 'Invalid credentials');
  },
  '/forbidden': () => {
    throw createError(403, 'Cannot mint SSO for admin accounts');
  },
  '/conflict': () => {
    throw createError(409, 'Already exists');
  },
  '/method': () => {
    throw createError(405, 'Use POST');
  },
  '/coded': () => {
    throw createError(404, 'Version not found', { code: 'VERSION_MISSING' });
  },
  '/hidden': () => {
    throw createError(401, SECRET, { expose: false });
  },
  '/crash': () => {
    throw new Error(SECRET);
  },
  '/unavailable': () => {
    throw createError(503, SECRET);
  },
  '/validation': () => {
    throw createError(400, 'ignored', {
      details: [
        { path: 'service_id', message: 'field required' },
        { path: 'items.0.id', message: 'must be a number' },
      ],
    });
  },
  '/json-error': (_req, res) => {
    res.statusCode = 409;
    res.json({ message: 'Already exists' });
  },
  '/echo': (req, res) => res.json(req.body ?? null),
};

export interface PresetClient {
  get(path: string): request.Test;
  post(path: string, body: string, type?: string): request.Test;
}

/** An app with the preset mounted at `/api` over the standard routes (plus `extra`). */
export function presetClient(
  flavor: Flavor,
  format: PresetName,
  options?: Record<string, unknown>,
  extra: Record<string, Handler> = {},
): PresetClient {
  const app = createApp(flavor, {
    mounts: [{ prefix: '/api', format, options, routes: { ...standardRoutes, ...extra } }],
  });
  return {
    get: (path) => request(app).get(path),
    post: (path, body, type = 'application/json') => request(app).post(path).set('Content-Type', type).send(body),
  };
}
