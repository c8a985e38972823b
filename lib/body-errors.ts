// body-parser's failures (recognised by `err.type`): their messages echo the client's body or
// headers, so each is replaced by a fixed text.

import type { ErrorOutcome } from './outcome';

export const MALFORMED_BODY = 'Malformed request body';

const FIXED_MESSAGES: Readonly<Record<string, string>> = {
  'entity.parse.failed': MALFORMED_BODY,
  'entity.too.large': 'Request body too large',
  'encoding.unsupported': 'Unsupported content encoding',
  'charset.unsupported': 'Unsupported charset',
  'request.aborted': 'Request aborted',
  'request.size.invalid': 'Request size did not match content length',
  'entity.verify.failed': 'Request body verification failed',
  'parameters.too.many': 'Too many parameters',
  'querystring.parse.rangeError': 'Request body nested too deeply',
  'stream.encoding.set': 'Request stream encoding should not be set',
  'stream.not.readable': 'Request stream is not readable',
};

/** The outcome for a body-parser error, or undefined when `err` is not one. */
export function bodyParserFailure(
  err: Record<string, unknown>,
  status: number,
  generic: (status: number) => string,
): ErrorOutcome | undefined {
  const type = err.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(FIXED_MESSAGES, type)) return undefined;
  // A 5xx from body-parser (a stream set up wrongly by the app) says nothing the client should see.
  const message = status >= 500 ? generic(status) : FIXED_MESSAGES[type];
  if (type === 'entity.parse.failed') {
    return {
      kind: 'error',
      status,
      message,
      details: [{ path: '', message }],
      hard: true,
      validation: true,
    };
  }
  return { kind: 'error', status, message, hard: true, validation: false };
}
