// Fake timeouts for tests of a limiter that waits on its store: only setTimeout/clearTimeout are
// faked (sockets, setImmediate and the clock stay real, so supertest works), and a guard on the real
// clock fails a request the limiter waits on for ever instead of hanging the test.

import type request from 'supertest';

/** The real timers, taken before any test fakes them: the guard must fire whatever the fake clock does. */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Fakes setTimeout and clearTimeout only. */
export function fakeTimeouts(): void {
  jest.useFakeTimers({
    doNotFake: [
      'Date',
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
    ],
  });
}

/** The response, or a failure after 10 real seconds. */
export function answered(pending: Promise<request.Response>): Promise<request.Response> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = realSetTimeout(() => reject(new Error('no answer within 10 s: the request waits on the store')), 10_000);
  });
  return Promise.race([pending, guard]).finally(() => realClearTimeout(timer));
}
