// Every body the package really sends validates against the schema that openApiResponses() puts under
// its own wire status and media type, for every preset and variant, on Express 5 and 4.

import type { Response } from 'supertest';
import { z } from 'zod';
import { type OpenApiResponses, openApiResponses, rateLimit } from '../../index';
import { EXPRESS_FLAVORS, type Handler, quiet } from '../helpers/create-app';
import { DESCRIBED, assertDescribed, assertValid, mediaTypeOf } from '../helpers/openapi';
import { presetClient } from '../helpers/routes';

type Case = 'success' | 'info' | 'created' | 'badRequest' | 'notFound' | 'validation' | 'malformed' | 'crash' | 'limited' | 'unknown';

/** The wire status of each case, per preset: the table docs/guides/openapi.md gives. */
const STATUSES: Record<string, Record<Case, number>> = {};
const usual = (validation: number): Record<Case, number> => ({
  success: 200,
  info: 200,
  created: 201,
  badRequest: 400,
  notFound: 404,
  validation,
  malformed: validation,
  crash: 500,
  limited: 429,
  unknown: 404,
});
for (const name of ['vbapi', 'wispanel', 'wispanel lean', 'wispanel bare', 'jsend', 'problem']) STATUSES[name] = usual(400);
for (const name of ['backendResponse', 'wisphub', 'wispanel portal', 'wispanel license']) STATUSES[name] = usual(422);
STATUSES.webServiceReturn = {
  success: 200,
  info: 200,
  created: 200,
  badRequest: 200,
  notFound: 200,
  validation: 200,
  malformed: 200,
  crash: 500,
  limited: 200,
  unknown: 200,
};
STATUSES.statusOk = { ...usual(200), badRequest: 200, notFound: 200, malformed: 400 };
STATUSES.universa = STATUSES.statusOk;

const silent = { error: () => undefined, warn: () => undefined };

describe.each(EXPRESS_FLAVORS)('real responses match openApiResponses() on %s', (flavor) => {
  quiet();

  describe.each(DESCRIBED.map((d) => [d.name, d] as const))('%s', (name, described) => {
    const presetOptions = described.variant ? { variant: described.variant } : undefined;
    const limiter = rateLimit({ limit: 0, windowMs: 60_000, logger: silent });
    const api = presetClient(flavor, described.preset, presetOptions, { '/limited': limiter as unknown as Handler });
    const describe = (status = 200): OpenApiResponses =>
      openApiResponses(described.preset as 'wispanel', { ...presetOptions, status, rateLimited: true });
    const responses = describe();

    const requests: Record<Case, () => Promise<Response>> = {
      success: () => api.get('/api/ok'),
      info: () => api.get('/api/info'),
      created: () => api.get('/api/created'),
      badRequest: () => api.get('/api/bad-request'),
      notFound: () => api.get('/api/not-found'),
      validation: () => api.get('/api/validation'),
      malformed: () => api.post('/api/echo', '{"name": '),
      crash: () => api.get('/api/crash'),
      limited: () => api.get('/api/limited'),
      unknown: () => api.get('/api/no-such-route'),
    };

    it.each(Object.keys(requests) as Case[])('%s is described under its wire status', async (which) => {
      const res = await requests[which]();
      expect([which, res.status]).toEqual([which, STATUSES[name][which]]);
      const entry = assertDescribed(which === 'created' ? describe(201) : responses, res, `${name} ${which}`);
      expect(res.headers['x-request-id']).toEqual(expect.any(String));
      expect(entry.headers['X-Request-Id']).toEqual(expect.objectContaining({ required: true }));
      if (which === 'limited') {
        for (const header of ['Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
          expect([header, res.headers[header.toLowerCase()]]).toEqual([header, expect.stringMatching(/^\d+$/)]);
          expect(entry.headers[header]).toEqual(expect.objectContaining({ schema: { type: 'integer', minimum: 0 } }));
        }
        // The window only where the preset's contract has it: WisPanel, described exactly then.
        const window = described.preset === 'wispanel' ? expect.stringMatching(/^\d+$/) : undefined;
        expect(['X-RateLimit-Window', res.headers['x-ratelimit-window']]).toEqual(['X-RateLimit-Window', window]);
        expect(entry.headers['X-RateLimit-Window']).toEqual(window && expect.objectContaining({ schema: { type: 'integer', minimum: 0 } }));
      }
      if (described.preset === 'problem' && res.status >= 400)
        expect(mediaTypeOf(res.headers['content-type'])).toBe('application/problem+json');
    });

    it('describes no status the wire does not use in these cases', () => {
      const used = new Set(Object.values(STATUSES[name]).filter((s) => s !== 201));
      expect(Object.keys(responses)).toEqual([...used].sort((a, b) => a - b).map(String));
    });

    // problem and bare WisPanel send the payload as it is: with `data` any, their success schema takes anything.
    const anySuccess = described.preset === 'problem' || described.variant === 'bare';
    if (!anySuccess)
      it('an error body is refused under the success entry where the two do not share a status', async () => {
        const res = await requests.notFound();
        const success = responses['200'].content?.['application/json'].schema ?? {};
        if (res.status === 200) assertValid(success, JSON.parse(res.text), 'a soft error on 200');
        else expect(() => assertValid(success, JSON.parse(res.text), `${name} 404 body as a success`)).toThrow(/does not match/);
      });
  });
});

describe.each(EXPRESS_FLAVORS)('a zod 4 payload schema as data, on %s', (flavor) => {
  const Client = z.object({ id: z.number().int(), name: z.string() });
  const data = z.toJSONSchema(Client);

  it.each(DESCRIBED.map((d) => [d.name, d] as const))(
    '%s: the real success fits, a wrong payload or an extra key does not',
    async (name, described) => {
      const presetOptions = described.variant ? { variant: described.variant } : undefined;
      const api = presetClient(flavor, described.preset, presetOptions, {
        '/wrong': (_req, res) => res.json({ id: 'one', name: 'Example' }),
        '/extra': (_req, res) => res.json({ id: 1, name: 'Example', secret: true }),
      });
      const responses = openApiResponses(described.preset as 'wispanel', { ...presetOptions, data });
      assertDescribed(responses, await api.get('/api/ok'), `${name} ok`);
      for (const path of ['/api/wrong', '/api/extra']) {
        const res = await api.get(path);
        expect([path, res.status]).toEqual([path, 200]);
        expect(() => assertDescribed(responses, res, `${name} ${path}`)).toThrow(/does not match/);
      }
    },
  );
});
