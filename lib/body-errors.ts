// Failures of the request itself, from body-parser (recognised by `err.type`) and from Express's
// router (a parameter it cannot decode): their messages echo the client's body, headers or URL, so
// each is replaced by a fixed text.

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

export const MALFORMED_URL_PARAMETER = 'Malformed URL parameter';

/** Express 4 and 5 (router) say this, then quote the raw parameter, for a `%` sequence they cannot decode. */
const UNDECODABLE_PARAM = "Failed to decode param '";

/** The outcome for a body-parser error or an undecodable URL parameter, or undefined for anything else. */
export function requestFailure(
  err: Record<string, unknown>,
  status: number,
  generic: (status: number) => string,
): ErrorOutcome | undefined {
  if (status === 400 && typeof err.message === 'string' && err.message.startsWith(UNDECODABLE_PARAM)) {
    return { kind: 'error', status, message: MALFORMED_URL_PARAMETER, hard: true, validation: false };
  }
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
