// validate(): runs express-validator chains and forwards a failure as a RequestValidationError.

import { EnvelopeError } from '../lib/errors';
import { expressValidatorIssues, rawErrors } from '../lib/validation/express-validator';
import { RequestValidationError } from '../lib/validation/request-validation-error';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction } from '../response/types';

/** What validate() needs of an express-validator chain (or oneOf(), checkExact(), checkSchema()). */
export interface RunnableChain {
  run(req: never): Promise<unknown>;
}

/**
 * Runs express-validator chains in order and, when any fails, forwards one error that every preset
 * renders as its validation failure — without the submitted values. express-validator stays your
 * dependency; this package does not import it.
 * @example app.post('/users', validate([body('email').isEmail(), body('age').isInt()]), createUser);
 */
export function validate(chains: RunnableChain | readonly (RunnableChain | readonly RunnableChain[])[]): ValidateMiddleware {
  const list = (Array.isArray(chains) ? chains.flat() : [chains]) as RunnableChain[];
  for (const chain of list) {
    if (!chain || typeof chain.run !== 'function') {
      throw new EnvelopeError('ERR_ENVELOPE_INVALID_OPTION', 'validate(): every chain needs a run(req) method (express-validator 7)');
    }
  }
  return function validate(req: EnvelopeRequest, _res: EnvelopeResponse, next: NextFunction): void {
    const run = async (): Promise<unknown[]> => {
      const errors: unknown[] = [];
      // One push per error: spreading a list of 120k or more into push() throws a RangeError.
      for (const chain of list) for (const error of rawErrors(await chain.run(req as never))) errors.push(error);
      return errors;
    };
    run().then(
      (errors) => next(errors.length > 0 ? new RequestValidationError(expressValidatorIssues(errors), 'express-validator') : undefined),
      next,
    );
  };
}

export type ValidateMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
