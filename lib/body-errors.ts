// Failures of the request itself, from body-parser (recognised by `err.type`) and from Express's
// router (a parameter it cannot decode): their messages echo the client's body, headers or URL, so
// each is replaced by a fixed text of the package (lib/catalogs.ts).

import { type PackageText, catalogFor } from './catalogs';
import type { ErrorOutcome } from './outcome';

const TEXTS: Readonly<Record<string, Exclude<PackageText, 'generic'>>> = {
  'entity.parse.failed': 'malformedBody',
  'entity.too.large': 'bodyTooLarge',
  'encoding.unsupported': 'unsupportedEncoding',
  'charset.unsupported': 'unsupportedCharset',
  'request.aborted': 'requestAborted',
  'request.size.invalid': 'sizeMismatch',
  'entity.verify.failed': 'verifyFailed',
  'parameters.too.many': 'tooManyParameters',
  'querystring.parse.rangeError': 'nestedTooDeeply',
  'stream.encoding.set': 'streamEncodingSet',
  'stream.not.readable': 'streamNotReadable',
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
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(TEXTS, type)) return undefined;
  // A 5xx from body-parser (a stream set up wrongly by the app) says nothing the client should see.
  const packageText: PackageText = status >= 500 ? 'generic' : TEXTS[type];
  const message = packageText === 'generic' ? generic(status) : catalogFor(undefined).texts[packageText];
  if (type === 'entity.parse.failed') {
    return {
      kind: 'error',
      status,
      message,
      details: [{ path: '', message }],
      hard: true,
      validation: true,
      packageText,
    };
  }
  return { kind: 'error', status, message, hard: true, validation: false, packageText };
}
