// Validation failures from every common library → one Issue[], recognised by shape (no imports).

import type { Issue } from '../outcome';
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

type Bag = Record<string, unknown>;

const ADAPTERS: readonly [IssueSource, (err: Bag) => Issue[] | undefined][] = [
  ['express-validator', fromExpressValidator],
  ['zod', fromZod],
  ['celebrate', fromCelebrate],
  ['joi', fromJoi],
];

/** Which library (if any) the error came from, and its issues, free of submitted values. */
export function validationFailure(value: unknown): ValidationFailure | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const err = value as Bag;
  const openapi = fromOpenApi(err);
  if (openapi) return { source: 'openapi', ...openapi };
  for (const [source, adapter] of ADAPTERS) {
    const issues = adapter(err);
    if (issues) return { source, issues };
  }
  return undefined;
}
