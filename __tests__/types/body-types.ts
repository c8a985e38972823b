// Compile-time: schema-valid sample bodies fit SuccessBody/ErrorBody, wrong shapes and payloads do not
// (checked by npm run typecheck). __tests__/openapi/body-types.test.ts validates the same SAMPLES
// against the formats' JSON Schemas, so types and schemas cannot drift apart.

import type { ErrorBody, PresetName, SuccessBody, WispanelVariant } from '../../index';

interface Client {
  id: number;
  name: string;
}

const ID = '3f1c2b9e-5d7a-4e21-9c3b-2a1f0e6d8c47';

export interface Sample {
  preset: PresetName;
  variant?: WispanelVariant;
  kind: 'success' | 'error';
  body: unknown;
}

// vbapi
const vbapiSuccess: SuccessBody<'vbapi', Client> = { data: { id: 1, name: 'Example' }, error: null, debug: { activityId: ID } };
const vbapiEmpty: SuccessBody<'vbapi', undefined> = { data: null, error: null, debug: { activityId: ID } };
const vbapiError: ErrorBody<'vbapi'> = {
  data: null,
  error: { type: 'https://httpstatuses.com/404', title: 'Not Found', status: 404, detail: 'Client not found', instance: '/api/clients/9' },
  debug: { activityId: ID, stack: 'Error: boom' },
};
// @ts-expect-error the payload's id must be a number
const vbapiWrongPayload: SuccessBody<'vbapi', Client> = { data: { id: '1', name: 'Example' }, error: null, debug: { activityId: ID } };
// @ts-expect-error the error slot of a success is null
const vbapiWrongShape: SuccessBody<'vbapi', Client> = { data: { id: 1, name: 'Example' }, debug: { activityId: ID } };

// backendResponse / wisphub
const backendSuccess: SuccessBody<'backendResponse', Client> = {
  ok: true,
  type: 'success',
  action: 'client_found',
  data: { id: 1, name: 'Example' },
  message: null,
  meta: null,
};
const wisphubInfo: SuccessBody<'wisphub', { max_tickets: number }> = {
  ok: true,
  type: 'info',
  action: 'zone_ticket_limit_reached',
  data: { max_tickets: 3 },
  message: 'Límite alcanzado',
  meta: { total: 1 },
};
const wisphubError: ErrorBody<'wisphub'> = {
  ok: false,
  type: 'error',
  action: 'error',
  data: null,
  message: 'Error de validación: service_id: field required',
  meta: null,
};
// @ts-expect-error an error body says ok: false
const backendWrongShape: ErrorBody<'backendResponse'> = { ok: true, type: 'error', action: 'error', data: null, message: 'x', meta: null };
const backendWrongType: SuccessBody<'backendResponse', null> = {
  ok: true,
  // @ts-expect-error info is a success type, not an error type
  type: 'error',
  action: 'x',
  data: null,
  message: null,
  meta: null,
};

// wispanel (panel) and its variants
const panelSuccess: SuccessBody<'wispanel', Client[]> = { success: true, data: [{ id: 1, name: 'Example' }], meta: { total: 1 } };
const panelError: ErrorBody<'wispanel'> = {
  success: false,
  code: 'NOT_FOUND',
  error: 'Client not found',
  message: 'Client not found',
  status: 404,
};
const portalSuccess: SuccessBody<'wispanel', Client, 'portal'> = { success: true, data: { id: 1, name: 'Example' } };
const portalError: ErrorBody<'wispanel', 'portal'> = {
  success: false,
  error: 'Validation failed',
  code: 'VALIDATION_ERROR',
  details: { service_id: ['field required'] },
};
const licenseSuccess: SuccessBody<'wispanel', { plan: string }, 'license'> = { valid: true, plan: 'pro' };
const licenseList: SuccessBody<'wispanel', string[], 'license'> = { valid: true, data: ['a', 'b'] };
const licenseError: ErrorBody<'wispanel', 'license'> = {
  valid: false,
  error: 'Invalid request data',
  code: 'VALIDATION_ERROR',
  details: { key: ['is required'] },
};
const leanSuccess: SuccessBody<'wispanel', Client, 'lean'> = { success: true, data: { id: 1, name: 'Example' } };
const leanError: ErrorBody<'wispanel', 'lean'> = { success: false, error: 'Not Found', code: 'NOT_FOUND' };
const bareSuccess: SuccessBody<'wispanel', Client, 'bare'> = { id: 1, name: 'Example' };
const bareError: ErrorBody<'wispanel', 'bare'> = { error: 'Not Found' };
// @ts-expect-error panel errors carry the status too
const panelWrongShape: ErrorBody<'wispanel'> = { success: false, code: 'NOT_FOUND', error: 'x', message: 'x' };
// @ts-expect-error a portal error has no status key
const portalWrongShape: ErrorBody<'wispanel', 'portal'> = { success: false, error: 'x', code: 'X', status: 400 };
// @ts-expect-error license spreads the payload: plan must be a string
const licenseWrongPayload: SuccessBody<'wispanel', { plan: string }, 'license'> = { valid: true, plan: 3 };
// @ts-expect-error bare sends the payload as it is
const bareWrongPayload: SuccessBody<'wispanel', Client, 'bare'> = { success: true, data: { id: 1, name: 'Example' } };

// webServiceReturn
const wsrSuccess: SuccessBody<'webServiceReturn', Client> = {
  WebServiceReturn: { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null },
  id: 1,
  name: 'Example',
};
const wsrList: SuccessBody<'webServiceReturn', Client[]> = {
  WebServiceReturn: { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null },
  Data: [{ id: 1, name: 'Example' }],
};
const wsrError: ErrorBody<'webServiceReturn'> = {
  WebServiceReturn: { Status: 'wrsFailed', ErrorCode: 'WSR-404', Message: 'Client not found', Actor: '', ReturnQuestion: null },
};
const wsrWrongShape: ErrorBody<'webServiceReturn'> = {
  // @ts-expect-error a failure says wrsFailed
  WebServiceReturn: { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null },
};
const wsrWrongPayload: SuccessBody<'webServiceReturn', Client> = {
  WebServiceReturn: { Status: 'wrsSuccess', ErrorCode: '', Message: '', Actor: '', ReturnQuestion: null },
  // @ts-expect-error the payload's name must be a string
  name: 7,
  id: 1,
};

// statusOk / universa
const statusOkSuccess: SuccessBody<'statusOk', Client> = { status: 'OK', id: 1, name: 'Example' };
const universaScalar: SuccessBody<'universa', number> = { status: 'OK', result: 42 };
const universaAny: SuccessBody<'universa'> = { status: 'OK', anything: [1, 2] };
const statusOkError: ErrorBody<'statusOk'> = { status: 'error', code: 'not_found', text: 'Client not found' };
// @ts-expect-error an error has a text, not a message
const statusOkWrongShape: ErrorBody<'statusOk'> = { status: 'error', code: 'not_found', message: 'x' };
// @ts-expect-error a scalar payload goes under result
const universaWrongPayload: SuccessBody<'universa', number> = { status: 'OK', result: 'forty-two' };

// jsend
const jsendSuccess: SuccessBody<'jsend', Client> = { status: 'success', data: { id: 1, name: 'Example' } };
const jsendFail: ErrorBody<'jsend'> = { status: 'fail', data: { service_id: 'field required' } };
const jsendError: ErrorBody<'jsend'> = { status: 'error', message: 'Internal Server Error' };
// @ts-expect-error fail data maps fields to one message each
const jsendWrongShape: ErrorBody<'jsend'> = { status: 'fail', data: { service_id: ['field required'] } };
// @ts-expect-error the payload must be a Client
const jsendWrongPayload: SuccessBody<'jsend', Client> = { status: 'success', data: { id: 1 } };

// problem
const problemSuccess: SuccessBody<'problem', Client> = { id: 1, name: 'Example' };
const problemError: ErrorBody<'problem'> = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  detail: 'service_id: field required',
  instance: '/api/clients',
  errors: [{ detail: 'field required', pointer: '#/service_id' }],
};
// @ts-expect-error status is a number
const problemWrongShape: ErrorBody<'problem'> = { type: 'about:blank', title: 'Not Found', status: '404', detail: 'x', instance: '/' };
// @ts-expect-error problem success is the payload itself
const problemWrongPayload: SuccessBody<'problem', Client> = { data: { id: 1, name: 'Example' } };

/** Every sample that must fit its type, for the schema check. */
export const SAMPLES: Sample[] = [
  { preset: 'vbapi', kind: 'success', body: vbapiSuccess },
  { preset: 'vbapi', kind: 'success', body: vbapiEmpty },
  { preset: 'vbapi', kind: 'error', body: vbapiError },
  { preset: 'backendResponse', kind: 'success', body: backendSuccess },
  { preset: 'wisphub', kind: 'success', body: wisphubInfo },
  { preset: 'wisphub', kind: 'error', body: wisphubError },
  { preset: 'wispanel', kind: 'success', body: panelSuccess },
  { preset: 'wispanel', kind: 'error', body: panelError },
  { preset: 'wispanel', variant: 'portal', kind: 'success', body: portalSuccess },
  { preset: 'wispanel', variant: 'portal', kind: 'error', body: portalError },
  { preset: 'wispanel', variant: 'license', kind: 'success', body: licenseSuccess },
  { preset: 'wispanel', variant: 'license', kind: 'success', body: licenseList },
  { preset: 'wispanel', variant: 'license', kind: 'error', body: licenseError },
  { preset: 'wispanel', variant: 'lean', kind: 'success', body: leanSuccess },
  { preset: 'wispanel', variant: 'lean', kind: 'error', body: leanError },
  { preset: 'wispanel', variant: 'bare', kind: 'success', body: bareSuccess },
  { preset: 'wispanel', variant: 'bare', kind: 'error', body: bareError },
  { preset: 'webServiceReturn', kind: 'success', body: wsrSuccess },
  { preset: 'webServiceReturn', kind: 'success', body: wsrList },
  { preset: 'webServiceReturn', kind: 'error', body: wsrError },
  { preset: 'statusOk', kind: 'success', body: statusOkSuccess },
  { preset: 'universa', kind: 'success', body: universaScalar },
  { preset: 'universa', kind: 'success', body: universaAny },
  { preset: 'statusOk', kind: 'error', body: statusOkError },
  { preset: 'jsend', kind: 'success', body: jsendSuccess },
  { preset: 'jsend', kind: 'error', body: jsendFail },
  { preset: 'jsend', kind: 'error', body: jsendError },
  { preset: 'problem', kind: 'success', body: problemSuccess },
  { preset: 'problem', kind: 'error', body: problemError },
];

/** The bodies the types refuse; the schema check proves the schemas refuse them too. */
export const REFUSED: Sample[] = [
  { preset: 'vbapi', kind: 'success', body: vbapiWrongShape },
  { preset: 'backendResponse', kind: 'error', body: backendWrongShape },
  { preset: 'backendResponse', kind: 'success', body: backendWrongType },
  { preset: 'wispanel', kind: 'error', body: panelWrongShape },
  { preset: 'wispanel', variant: 'portal', kind: 'error', body: portalWrongShape },
  { preset: 'webServiceReturn', kind: 'error', body: wsrWrongShape },
  { preset: 'statusOk', kind: 'error', body: statusOkWrongShape },
  { preset: 'jsend', kind: 'error', body: jsendWrongShape },
  { preset: 'problem', kind: 'error', body: problemWrongShape },
];

/** Refused for their payload type only: the schemas (data: any) accept them. */
export const WRONG_PAYLOADS: unknown[] = [
  vbapiWrongPayload,
  licenseWrongPayload,
  bareWrongPayload,
  wsrWrongPayload,
  universaWrongPayload,
  jsendWrongPayload,
  problemWrongPayload,
];

// The README's and docs/guides/openapi.md's examples, as they are written there.
declare const response: { json(): Promise<unknown> };
export async function readmeExamples(): Promise<[string, string[] | undefined, string, string]> {
  const ok = (await response.json()) as SuccessBody<'vbapi', { id: number; name: string }>;
  const failed = (await response.json()) as ErrorBody<'wispanel', 'portal'>;
  const problem = (await response.json()) as ErrorBody<'problem'>;
  const license = (await response.json()) as SuccessBody<'wispanel', { plan: string }, 'license'>;
  return [ok.data.name, failed.details?.name, problem.detail, license.plan];
}
