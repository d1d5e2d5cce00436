import type * as z from 'zod/v4/core';
import { DuplicateIdError, UnknownMethodError, UnsupportedSpecVersionError } from '../errors/argmin-error';
import type { Capability } from '../spec/oracle';
import { type AnyMethodPlugin, type MethodMeta, SPEC_VERSION } from '../spec/plugin';
import { areaOf } from './define-method';
import { parseOptions } from './options';

/** Ids of a plugin tuple. */
export type IdsOf<T extends readonly AnyMethodPlugin[]> = T[number]['meta']['id'];
/** The plugin with a given id. */
export type PluginOf<T extends readonly AnyMethodPlugin[], Id extends IdsOf<T>> = Extract<
  T[number],
  { meta: { id: Id } }
>;
/** Options a caller passes for `id` (defaults optional). */
export type OptionsInput<T extends readonly AnyMethodPlugin[], Id extends IdsOf<T>> = z.input<
  PluginOf<T, Id>['options']
>;
/** What `create(id, ...)` returns. */
export type CreatedBy<T extends readonly AnyMethodPlugin[], Id extends IdsOf<T>> = ReturnType<
  PluginOf<T, Id>['create']
>;

export interface Registry<T extends readonly AnyMethodPlugin[]> {
  /** Registered ids in registration order. */
  readonly ids: readonly IdsOf<T>[];
  readonly plugins: T;
  has(id: string): id is IdsOf<T>;
  /** The plugin for `id`; throws UnknownMethodError listing the registered ids. */
  get<Id extends IdsOf<T>>(id: Id): PluginOf<T, Id>;
  /** Validates the options against the plugin's strict schema and creates the method. */
  create<Id extends IdsOf<T>>(id: Id, options?: OptionsInput<T, Id>): CreatedBy<T, Id>;
  /** Parses options without creating (for validating pipelines before they run). */
  parseOptions<Id extends IdsOf<T>>(id: Id, options?: unknown): z.output<PluginOf<T, Id>['options']>;
  /** Metadata filtered by area and/or needed capabilities (methods whose needs are within `needs`). */
  find(filter?: { area?: string; needs?: readonly Capability[]; stochastic?: boolean }): MethodMeta[];
}

/**
 * Builds a registry from plugins: an explicit instance, no global state. Ids are typed from the
 * tuple; a duplicate id or an unknown spec version throws; an unknown id fails with the list of
 * registered ids.
 *
 * @example
 * const registry = createRegistry([...corePlugins]);
 * const gd = registry.create('core/gradient-descent', { maxIterations: 100 });
 */
export function createRegistry<const T extends readonly AnyMethodPlugin[]>(plugins: T): Registry<T> {
  const byId = new Map<string, AnyMethodPlugin>();
  for (const plugin of plugins) {
    if (plugin.specVersion !== SPEC_VERSION) {
      throw new UnsupportedSpecVersionError({
        id: plugin.meta?.id ?? '?',
        version: plugin.specVersion,
        supported: [SPEC_VERSION],
      });
    }
    if (byId.has(plugin.meta.id)) throw new DuplicateIdError({ id: plugin.meta.id });
    byId.set(plugin.meta.id, plugin);
  }
  const ids = [...byId.keys()] as IdsOf<T>[];
  const get = (id: string): AnyMethodPlugin => {
    const plugin = byId.get(id);
    if (!plugin) throw new UnknownMethodError({ id, available: ids });
    return plugin;
  };
  return {
    ids,
    plugins,
    has: (id: string): id is IdsOf<T> => byId.has(id),
    get: (id) => get(id) as never,
    create: (id, options) => {
      const plugin = get(id);
      return plugin.create(parseOptions(id, plugin.options, options)) as never;
    },
    parseOptions: (id, options) => {
      const plugin = get(id);
      return parseOptions(id, plugin.options, options) as never;
    },
    find: (filter = {}) =>
      [...byId.values()]
        .filter((p) => filter.area === undefined || areaOf(p.meta.id) === filter.area)
        .filter((p) => filter.stochastic === undefined || Boolean(p.meta.stochastic) === filter.stochastic)
        .filter(
          (p) => filter.needs === undefined || (p.meta.needs ?? []).every((c) => filter.needs?.includes(c)),
        )
        .map((p) => p.meta),
  };
}
