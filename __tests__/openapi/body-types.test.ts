// The samples that __tests__/types/body-types.ts proves fit SuccessBody/ErrorBody are valid against the
// formats' own JSON Schemas, and the shapes the types refuse, the schemas refuse too.

import { assertSchema } from '../helpers/expect-envelope';
import { REFUSED, SAMPLES, WRONG_PAYLOADS } from '../types/body-types';

const name = (s: { preset: string; variant?: string; kind: string }): string => `${s.preset}${s.variant ? `:${s.variant}` : ''} ${s.kind}`;
const options = (variant?: string): Record<string, unknown> | undefined => (variant ? { variant } : undefined);

describe('SuccessBody / ErrorBody samples', () => {
  it('cover every preset, alias and WisPanel variant, success and error', () => {
    expect([...new Set(SAMPLES.map(name))].sort()).toEqual(
      [
        'backendResponse success',
        'jsend error',
        'jsend success',
        'problem error',
        'problem success',
        'statusOk error',
        'statusOk success',
        'universa success',
        'vbapi error',
        'vbapi success',
        'webServiceReturn error',
        'webServiceReturn success',
        'wisphub error',
        'wisphub success',
        'wispanel error',
        'wispanel success',
        'wispanel:bare error',
        'wispanel:bare success',
        'wispanel:lean error',
        'wispanel:lean success',
        'wispanel:license error',
        'wispanel:license success',
        'wispanel:portal error',
        'wispanel:portal success',
      ].sort(),
    );
    expect(WRONG_PAYLOADS).toHaveLength(7);
  });

  it.each(SAMPLES.map((s) => [name(s), s] as const))('%s: the typed sample is schema-valid', (_label, sample) => {
    expect(() => assertSchema(sample.preset, sample.kind, sample.body, options(sample.variant))).not.toThrow();
  });

  it.each(REFUSED.map((s) => [name(s), s] as const))('%s: the shape the type refuses, the schema refuses', (_label, sample) => {
    expect(() => assertSchema(sample.preset, sample.kind, sample.body, options(sample.variant))).toThrow(/does not match its schema/);
  });
});
