// The error validate() forwards, and the one users throw for their own checks: a 400 with issues.

import type { Issue } from '../outcome';
import type { IssueSource } from './index';

/**
 * A request that failed validation. Rendered by every preset as its validation failure.
 * @example throw new RequestValidationError([{ path: 'from', message: 'must be before "to"', location: 'query' }]);
 */
export class RequestValidationError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly details: Issue[];
  /** Which library the issues came from (for formatIssue). */
  readonly source: IssueSource;

  constructor(details: Issue[], source: IssueSource = 'details') {
    super('Validation failed');
    this.name = 'RequestValidationError';
    this.details = details;
    this.source = source;
  }
}
