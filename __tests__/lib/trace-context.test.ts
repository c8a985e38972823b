// traceIdOf(): which traceparent values give a trace id (W3C Trace Context Level 1).

import { traceIdOf } from '../../lib/trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('traceIdOf()', () => {
  it.each([
    ['version 00, sampled', `00-${TRACE}-${PARENT}-01`],
    ['version 00, not sampled', `00-${TRACE}-${PARENT}-00`],
    ['unknown flags (kept for future use)', `00-${TRACE}-${PARENT}-ff`],
    ['a future version with the 00 layout', `01-${TRACE}-${PARENT}-01`],
    ['a future version with more fields after a dash', `cc-${TRACE}-${PARENT}-01-what-the-future-holds`],
  ])('accepts %s', (_name, value) => {
    expect(traceIdOf(value)).toBe(TRACE);
  });

  it.each([
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['an all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['version 00 with a field more', `00-${TRACE}-${PARENT}-01-extra`],
    ['a future version going on without a dash', `01-${TRACE}-${PARENT}-01extra`],
    ['a short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['a long trace id', `00-${TRACE}0-${PARENT}-01`],
    ['a short parent id', `00-${TRACE}-${PARENT.slice(1)}-01`],
    ['one flag digit', `00-${TRACE}-${PARENT}-1`],
    ['upper-case hex in the trace id', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['upper-case hex in the parent id', `00-${TRACE}-${PARENT.toUpperCase()}-01`],
    ['upper-case flags', `00-${TRACE}-${PARENT}-0A`],
    ['an upper-case version', `0A-${TRACE}-${PARENT}-01`],
    ['non-hex characters', `00-${TRACE.replace('4', 'g')}-${PARENT}-01`],
    ['the header sent twice (Node joins it with ", ")', `00-${TRACE}-${PARENT}-01, 00-${TRACE}-${PARENT}-01`],
    ['a future version sent twice', `01-${TRACE}-${PARENT}-01, 01-${TRACE}-${PARENT}-01`],
    ['underscores for dashes', `00_${TRACE}_${PARENT}_01`],
    ['an empty value', ''],
  ])('ignores %s', (_name, value) => {
    expect(traceIdOf(value)).toBeUndefined();
  });

  it('ignores what is not a string (an array of values, no header)', () => {
    expect(traceIdOf([`00-${TRACE}-${PARENT}-01`])).toBeUndefined();
    expect(traceIdOf(undefined)).toBeUndefined();
  });
});
