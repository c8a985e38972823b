// The validation body each preset must write for a list of issues, spelled out from docs/reference/presets/*.md
// on its own (no package code), so the renderers are checked against the contract, not themselves.

export interface PlainIssue {
  path: string;
  message: string;
}

const joined = (issues: PlainIssue[]) => issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');

function byField(issues: PlainIssue[], join: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { path, message } of issues) {
    const key = path === '' ? 'body' : path;
    if (join) out[key] = out[key] === undefined ? message : `${out[key] as string}; ${message}`;
    else out[key] = [...((out[key] as string[]) ?? []), message];
  }
  return out;
}

function pointer(path: string): string {
  return path === ''
    ? '#/'
    : '#/' +
        path
          .split('.')
          .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
          .join('/');
}

export interface PresetCase {
  name: string;
  /** The preset (and options) to mount. */
  format: string;
  options?: Record<string, unknown>;
  contentType?: string;
  expect(issues: PlainIssue[], ctx: { id: string; instance: string; status: number; hard: boolean }): { status: number; body: unknown };
}

export const PRESET_CASES: PresetCase[] = [
  {
    name: 'vbapi',
    format: 'vbapi',
    expect: (issues, { id, instance }) => ({
      status: 400,
      body: {
        data: null,
        error: {
          type: 'https://httpstatuses.com/400',
          title: 'Bad Request',
          status: 400,
          detail: `Validation failed: ${joined(issues)}`,
          instance,
        },
        debug: { activityId: id },
      },
    }),
  },
  {
    name: 'backendResponse',
    format: 'backendResponse',
    expect: (issues) => ({
      status: 422,
      body: { ok: false, type: 'error', action: 'error', data: null, message: `Error de validación: ${joined(issues)}`, meta: null },
    }),
  },
  {
    name: 'wispanel panel',
    format: 'wispanel',
    expect: (issues) => {
      const m = `Validation failed: ${joined(issues)}`;
      return { status: 400, body: { success: false, code: 'VALIDATION_ERROR', error: m, message: m, status: 400 } };
    },
  },
  {
    name: 'wispanel portal',
    format: 'wispanel',
    options: { variant: 'portal' },
    expect: (issues) => ({
      status: 422,
      body: { success: false, error: 'Validation failed', code: 'VALIDATION_ERROR', details: byField(issues, false) },
    }),
  },
  {
    name: 'wispanel license',
    format: 'wispanel',
    options: { variant: 'license' },
    expect: (issues) => ({
      status: 422,
      body: { valid: false, error: 'Invalid request data', code: 'VALIDATION_ERROR', details: byField(issues, false) },
    }),
  },
  {
    name: 'wispanel lean',
    format: 'wispanel',
    options: { variant: 'lean' },
    expect: (issues) => ({
      status: 400,
      body: { success: false, error: `Validation failed: ${joined(issues)}`, code: 'VALIDATION_ERROR' },
    }),
  },
  {
    name: 'wispanel bare',
    format: 'wispanel',
    options: { variant: 'bare' },
    expect: (issues) => ({ status: 400, body: { error: `Validation failed: ${joined(issues)}` } }),
  },
  {
    name: 'webServiceReturn',
    format: 'webServiceReturn',
    expect: (issues) => ({
      status: 200,
      body: { WebServiceReturn: { Status: 'wrsFailed', ErrorCode: 'WSR-400', Message: joined(issues), Actor: '', ReturnQuestion: null } },
    }),
  },
  {
    name: 'statusOk',
    format: 'statusOk',
    expect: (issues, { status, hard }) => ({
      status: hard ? status : 200,
      body: { status: 'error', code: 'validation_error', text: `Validation failed: ${joined(issues)}` },
    }),
  },
  {
    name: 'jsend',
    format: 'jsend',
    expect: (issues, { status }) => ({ status, body: { status: 'fail', data: byField(issues, true) } }),
  },
  {
    name: 'problem',
    format: 'problem',
    contentType: 'application/problem+json; charset=utf-8',
    expect: (issues, { instance }) => ({
      status: 400,
      body: {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: joined(issues),
        instance,
        errors: issues.map((i) => ({ detail: i.message, pointer: pointer(i.path) })),
      },
    }),
  },
];
