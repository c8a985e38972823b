// SuccessBody<P, T> and ErrorBody<P>: the bodies each preset sends, as TypeScript types for clients.
// Each preset's module declares its own (its `Bodies`, beside its schemas()); this file only applies
// them, and holds the helpers they are written with. __tests__/types/body-types.ts holds types and
// schemas together.

import type { Bodies, Typed } from './outcome';
import type { PresetFormat, PresetName } from './registry';

/** Keys beside the envelope's own: a payload or an exposed error's `data` the type does not know. */
export type Extra = { [key: string]: unknown };

/**
 * The keys of a spreading envelope plus the payload's: an object spreads, an array or a scalar goes
 * under the slot `S`, `undefined` adds nothing, and an unknown payload may add any keys.
 */
export type Spread<E, T, S extends string> = unknown extends T
  ? E & Extra
  : [T] extends [undefined]
    ? E
    : [T] extends [readonly unknown[]]
      ? E & { [K in S]: T }
      : [T] extends [object]
        ? E & T
        : E & { [K in S]: T };

/** What a slot format sends for the payload: JSON has no `undefined`, so "no data" is `null`. */
export type Slot<T> = Exclude<T, undefined> | (undefined extends T ? null : never);

/** The bodies preset `P`'s module declares. */
type Declared<P extends PresetName> = PresetFormat<P> extends Typed<infer B> ? B : never;

/** The variants preset `P` declares (its bodies' `variant`); `string` for a preset without variants. */
type VariantOf<P extends PresetName> = Declared<P>['variant'];

/** The variant preset `P` renders when none is chosen: its bodies' `defaultVariant`, else any. */
type DefaultVariant<P extends PresetName> = Declared<P> extends { defaultVariant: infer D extends string } ? D : VariantOf<P>;

/** The bodies preset `P` declares, with its payload and variant filled in. */
type Applied<P extends PresetName, T, V> = [Declared<P>] extends [never] ? never : Declared<P> & { payload: T; variant: V };

/**
 * The success body preset `P` sends for a payload of type `T` (what the handler passed to
 * `res.json()` / `res.success()`); `V` picks a variant of a preset that has them (WisPanel's:
 * `'panel'` by default).
 * Spreading presets (statusOk, webServiceReturn, WisPanel license) put a plain-object payload's
 * keys beside their own, and any other payload under their slot (`result`, `Data`, `data`).
 * @example
 * type Client = { id: number; name: string };
 * const body = (await res.json()) as SuccessBody<'vbapi', Client>; // body.data.name: string
 *
 * A preset that declares no bodies is `unknown`.
 */
export type SuccessBody<P extends PresetName, T = unknown, V extends VariantOf<P> = DefaultVariant<P>> = [Applied<P, T, V>] extends [never]
  ? unknown
  : Applied<P, T, V>['success'];

/**
 * The error body preset `P` sends (thrown errors, validation failures, 404s, 429s, 5xx); `V` picks
 * a variant, as for `SuccessBody`.
 * @example
 * const problem = (await res.json()) as ErrorBody<'problem'>; // problem.detail: string
 */
export type ErrorBody<P extends PresetName, V extends VariantOf<P> = DefaultVariant<P>> = [Applied<P, unknown, V>] extends [never]
  ? unknown
  : Applied<P, unknown, V>['error'];

export type { Bodies };
