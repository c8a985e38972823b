// validate(): runs express-validator chains and forwards a failure as a RequestValidationError.

import { EnvelopeError } from '../lib/errors';
import { expressValidatorIssues } from '../lib/validation/express-validator';
import { RequestValidationError } from '../lib/validation/request-validation-error';
import type { EnvelopeRequest, EnvelopeResponse, NextFunction } from './types';

/** What validate() needs of an express-validator chain (or oneOf(), checkExact(), checkSchema()). */
export interface RunnableChain {
  run(req: never): Promise<unknown>;
}

type Bag = Record<string, unknown>;

function errorsOf(result: unknown): unknown[] {
  if (result === null || typeof result !== 'object') return [];
  const bag = result as Bag;
  // The raw list, not array(): a formatWith() may have changed array()'s shape.
  if (Array.isArray(bag.errors)) return bag.errors;
  return typeof bag.array === 'function' ? ((bag.array as () => unknown[])() ?? []) : [];
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
      for (const chain of list) errors.push(...errorsOf(await chain.run(req as never)));
      return errors;
    };
    run().then(
      (errors) => next(errors.length > 0 ? new RequestValidationError(expressValidatorIssues(errors), 'express-validator') : undefined),
      next,
    );
  };
}

export type ValidateMiddleware = (req: EnvelopeRequest, res: EnvelopeResponse, next: NextFunction) => void;
