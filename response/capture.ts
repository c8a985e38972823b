// Holds a response's end until its recording is settled: what idempotency() stores is exactly what
// the client then receives, and a client that has its answer can only ever get the replay. A client
// that goes away changes nothing: the handler's response is still recorded when it ends.

import type { EnvelopeResponse } from './types';

/** A response as it ended: its status, the headers it had, and its body (undefined when streamed). */
export interface EndedResponse {
  status: number;
  header(this: void, name: string): string | string[] | undefined;
  body: Buffer | undefined;
}

function bodyOf(chunk: unknown, encoding: unknown): Buffer | undefined {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return Buffer.alloc(0);
  if (typeof chunk === 'string') return Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return chunk instanceof Uint8Array ? Buffer.from(chunk) : undefined;
}

/**
 * Calls `onEnd` with the response when it ends (whether or not the client is still there), and
 * writes the end only once the promise it returns has settled. Own properties on this one response:
 * the requests that ask for it are few, and these must see every write.
 */
export function captureResponse(res: EnvelopeResponse, onEnd: (ended: EndedResponse) => Promise<void>): void {
  // The originals are kept unbound on purpose: they are called with `.apply(this, …)` or put back.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see above
  const end = res.end;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see above
  const write = res.write;
  let streamed = false;
  let ended = false;
  res.write = function capturedWrite(this: EnvelopeResponse, ...args: unknown[]) {
    // A write after end() (while the recording settles) is dropped: the end already decided the body.
    if (ended) return false;
    streamed = true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof res.write;
  res.end = function capturedEnd(this: EnvelopeResponse, ...args: unknown[]) {
    // Only the first end() counts; a second one (a handler bug) must not overtake the recorded body.
    if (ended) return this;
    ended = true;
    const status = res.statusCode;
    const sentHeaders = res.headersSent ? undefined : res.getHeaders();
    const finishEnd = (): void => {
      res.write = write;
      res.end = end;
      // Anything that changed the status or headers while the recording settled (a late
      // next(err)) must not change the response that was recorded.
      if (sentHeaders && !res.headersSent) {
        res.statusCode = status;
        for (const name of res.getHeaderNames()) if (!(name in sentHeaders)) res.removeHeader(name);
        for (const [name, value] of Object.entries(sentHeaders)) if (value !== undefined) res.setHeader(name, value);
      }
      (end as (...a: unknown[]) => unknown).apply(res, args);
    };
    const body = streamed ? undefined : bodyOf(args[0], args[1]);
    const header = (name: string): string | string[] | undefined => {
      const value = res.getHeader(name);
      return value === undefined ? undefined : Array.isArray(value) ? value.map(String) : String(value);
    };
    onEnd({ status, header, body }).then(finishEnd, finishEnd);
    return this;
  } as typeof res.end;
}
