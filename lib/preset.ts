// What the registry (lib/presets.ts) takes from a preset module: the factory and the option keys it
// reads. Each preset module exports one as `preset`, beside its `reader`.

import type { MessageOptions } from './formats/messages';
import type { Format } from './outcome';

/**
 * The option keys a preset reads, typed so that the list cannot drift from its options. `locales`
 * is not among them: envelope() and errorHandler() take it and hand it on.
 */
export type OptionKeys<O> = Record<Exclude<keyof O, 'locales'>, true>;

export interface Preset<O extends object = object, F extends Format = Format> {
  create(options?: O): F;
  options: OptionKeys<O>;
}

/** A preset's factory and the option keys it reads (`messages` alone unless it says more). */
export function registryEntry<O extends object, F extends Format>(create: (options?: O) => F, options: OptionKeys<O>): Preset<O, F>;
export function registryEntry<F extends Format>(create: (options?: MessageOptions) => F): Preset<MessageOptions, F>;
export function registryEntry(create: (options?: object) => Format, options: object = { messages: true }): Preset<object> {
  return { create, options };
}
