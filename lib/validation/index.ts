// Validation failures from every common library → one Issue[], recognised by shape (no imports).

import type { Issue } from '../outcome';
import { type Bag, isRecord } from '../record';
import { fromExpressValidator } from './express-validator';
import { fromCelebrate, fromJoi } from './joi';
import { fromOpenApi } from './openapi';
import { fromZod } from './zod';

export type IssueSource = 'express-validator' | 'zod' | 'joi' | 'celebrate' | 'openapi' | 'details' | 'body-parser';

export interface ValidationFailure {
  source: IssueSource;
  /** The status the error carried, when it carried one. */
  status?: number;
  /** Undefined for a recognised refusal that is not a validation failure (openapi's 404, 415…). */
  issues?: Issue[];
}

const ADAPTERS: readonly [IssueSource, (err: Bag) => Issue[] | undefined][] = [
  ['express-validator', fromExpressValidator],
  ['zod', fromZod],
  ['celebrate', fromCelebrate],
  ['joi', fromJoi],
];

/** Which library (if any) the error came from, and its issues, free of submitted values. */
export function validationFailure(value: unknown): ValidationFailure | undefined {
  if (!isRecord(value)) return undefined;
  const openapi = fromOpenApi(value);
  if (openapi) return { source: 'openapi', ...openapi };
  for (const [source, adapter] of ADAPTERS) {
    const issues = adapter(value);
    if (issues) return { source, issues };
  }
  return undefined;
}
