// Body text for an outcome: the format's render then serialize, or, for a plain success in a format
// that declares where its payload sits, JSON.stringify(payload) spliced into the format's own text.
//
// Why: building `{ data, error, debug }` only to stringify it again costs 1.1–2× the payload's own
// JSON.stringify on a small payload. The envelope around a plain success depends on nothing but the
// kind, the status and the request's context, so its text is made once, by the format's own render()
// with markers in place of the payload and the context's strings, and cut at the markers. Each
// request then pays for JSON.stringify(payload), JSON.stringify of its id, and a few concatenations.
// The text is the general path's, byte for byte (__tests__/properties/fast-text.test.ts): whatever
// the splice cannot reproduce exactly goes the general way.

import { randomBytes } from 'node:crypto';
import type { Format, Outcome, PayloadPlacement, RenderContext, Rendered } from './outcome';
import { isPlainObject } from './payload';
import { type JsonSettings, serialize } from './serialize';

type Hole = 'payload' | 'requestId' | 'instance';

/** A text with holes: `pieces[0] hole[0] pieces[1] … hole[n-1] pieces[n]`. */
interface Template {
  pieces: string[];
  holes: Hole[];
}

/** The cached texts of one (kind, status, debug) of a format. */
interface Plan {
  rendered: Rendered;
  placement: PayloadPlacement;
  /** 'slot', and a spreading format's non-object payload: the body with the payload in its slot. */
  slot?: Template;
  /** 'spread': the envelope alone (its text ends with `}`), and the keys it owns. */
  envelope?: Template;
  owned?: string[];
  /** The envelope's text without its closing `}`, when it has no holes. */
  open?: string;
}

const nonce = randomBytes(8).toString('hex');
// Markers no probe could contain by chance; each appears in the text as its JSON string.
const MARKERS: Record<Hole, string> = {
  payload: `\u0000express-envelope:payload:${nonce}`,
  requestId: `\u0000express-envelope:request-id:${nonce}`,
  instance: `\u0000express-envelope:instance:${nonce}`,
};
const QUOTED = Object.fromEntries(Object.entries(MARKERS).map(([hole, marker]) => [hole, JSON.stringify(marker)])) as Record<Hole, string>;
const HOLES = Object.keys(MARKERS) as Hole[];

/** The context probes are rendered in: markers in place of the request's strings. */
const PROBE: RenderContext = { requestId: MARKERS.requestId, instance: MARKERS.instance, debug: false };
const DEBUG_PROBE: RenderContext = { ...PROBE, debug: true };

/** Plans by format, then by kind/status/debug; `null` where a format's text cannot be spliced. */
const plansByFormat = new WeakMap<Format, Map<number, Plan | null>>();
/** Enough for every status an app uses; beyond it, new statuses go the general way. */
const MAX_PLANS = 64;

/**
 * The status, headers and body text of `outcome` in `format`. The same result as
 * `format.render(outcome, ctx)` then `serialize(body, settings)`, and throws what they throw.
 */
export function renderText(format: Format, outcome: Outcome, ctx: RenderContext, settings: JsonSettings): [Rendered, string] {
  if (
    format.payload !== undefined &&
    outcome.kind !== 'error' &&
    outcome.action === undefined &&
    outcome.message === undefined &&
    outcome.meta === undefined &&
    settings.replacer === undefined &&
    settings.spaces === undefined &&
    settings.escape !== true
  ) {
    const plan = planFor(format, outcome, ctx);
    const text = plan === null ? undefined : splice(plan, outcome.data, ctx);
    if (text !== undefined) return [plan!.rendered, text];
  }
  const rendered = format.render(outcome, ctx);
  return [rendered, serialize(rendered.body, settings)];
}

// The last plan used: an app renders most responses with one format and status.
let lastFormat: Format | undefined;
let lastKey = -1;
let lastPlan: Plan | null = null;

function planFor(format: Format, outcome: Outcome, ctx: RenderContext): Plan | null {
  const key = outcome.status * 4 + (outcome.kind === 'info' ? 2 : 0) + (ctx.debug ? 1 : 0);
  if (format === lastFormat && key === lastKey) return lastPlan;
  let plans = plansByFormat.get(format);
  if (plans === undefined) {
    plans = new Map();
    plansByFormat.set(format, plans);
  }
  let plan = plans.get(key);
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) return null;
    plan = makePlan(format, outcome, ctx.debug ? DEBUG_PROBE : PROBE);
    plans.set(key, plan);
  }
  [lastFormat, lastKey, lastPlan] = [format, key, plan];
  return plan;
}

/** The text for this payload, or undefined where only the general path gives the exact text. */
function splice(plan: Plan, data: unknown, ctx: RenderContext): string | undefined {
  if (plan.placement === 'body') return serialize(data);
  // "No payload" is each format's own business (null, or no key): the general path says which.
  if (data === undefined) return undefined;
  if (plan.placement === 'spread' && isPlainObject(data)) return spread(plan, data, ctx);
  // JSON.stringify calls a top-level toJSON with the slot's key there and '' here; functions and
  // symbols drop the slot's key altogether.
  const type = typeof data;
  if (
    type === 'function' ||
    type === 'symbol' ||
    (type === 'object' && data !== null && typeof (data as { toJSON?: unknown }).toJSON === 'function')
  ) {
    return undefined;
  }
  return fill(plan.slot!, serialize(data), ctx);
}

function spread(plan: Plan, data: Record<string, unknown>, ctx: RenderContext): string | undefined {
  // A payload key the envelope owns is an error the general path reports.
  const owned = plan.owned!;
  for (let i = 0; i < owned.length; i++) if (Object.prototype.hasOwnProperty.call(data, owned[i])) return undefined;
  const own = serialize(data);
  if (own === '{}') return fill(plan.envelope!, '', ctx);
  // Integer-like keys come first in any object, so in the merged body they would precede the
  // envelope's keys; they come first in this text too, so its first key tells. Such a payload
  // (rare) is serialized again by the general path.
  const c = own.charCodeAt(2);
  if (c >= 48 && c <= 57) return undefined;
  const envelope = plan.open ?? fill(plan.envelope!, '', ctx).slice(0, -1);
  return envelope.length === 1 ? own : `${envelope},${own.slice(1)}`;
}

function fill(template: Template, payload: string, ctx: RenderContext): string {
  const { pieces, holes } = template;
  let text = pieces[0];
  for (let i = 0; i < holes.length; i++) {
    const hole = holes[i];
    text += (hole === 'payload' ? payload : quote(hole === 'requestId' ? ctx.requestId : ctx.instance)) + pieces[i + 1];
  }
  return text;
}

/** JSON.stringify(text), without its cost for the usual id or path that needs no escape. */
function quote(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** Renders probes with markers and cuts their text at them; null when the text does not fit. */
function makePlan(format: Format, outcome: Outcome, ctx: RenderContext): Plan | null {
  const placement = format.payload!;
  const probe = (data: unknown): Rendered => format.render({ kind: outcome.kind as 'success' | 'info', status: outcome.status, data }, ctx);
  try {
    const withMarker = probe(MARKERS.payload);
    const slot = template(serialize(withMarker.body));
    if (slot === null || slot.holes.filter((h) => h === 'payload').length !== 1) return null;
    const rendered: Rendered = { status: withMarker.status, body: undefined };
    if (withMarker.headers !== undefined) rendered.headers = withMarker.headers;
    if (placement === 'body') {
      return slot.holes.length === 1 && slot.pieces.join('') === '' ? { rendered, placement } : null;
    }
    if (placement === 'slot') return { rendered, placement, slot };
    const alone = probe({});
    const envelope = template(serialize(alone.body));
    const owned = isPlainObject(alone.body) ? Object.keys(alone.body) : [];
    if (
      envelope === null ||
      envelope.holes.includes('payload') ||
      alone.status !== withMarker.status ||
      !envelope.pieces[0].startsWith('{') ||
      !envelope.pieces[envelope.pieces.length - 1].endsWith('}') ||
      owned.some((key) => /^[0-9]/.test(key))
    ) {
      return null;
    }
    const open = envelope.holes.length === 0 ? envelope.pieces[0].slice(0, -1) : undefined;
    return { rendered, placement, slot, envelope, owned, open };
  } catch {
    return null;
  }
}

/** Cuts a probe's text at every marker. */
function template(text: string): Template | null {
  const pieces: string[] = [];
  const holes: Hole[] = [];
  let rest = text;
  for (;;) {
    let at = -1;
    let hole: Hole | undefined;
    for (const candidate of HOLES) {
      const i = rest.indexOf(QUOTED[candidate]);
      if (i !== -1 && (at === -1 || i < at)) [at, hole] = [i, candidate];
    }
    if (hole === undefined) break;
    pieces.push(rest.slice(0, at));
    holes.push(hole);
    rest = rest.slice(at + QUOTED[hole].length);
  }
  pieces.push(rest);
  // A marker the format changed (cut, escaped, wrapped) leaves a trace: that text cannot be spliced.
  return pieces.some((piece) => piece.includes(nonce)) ? null : { pieces, holes };
}
