import { pathToFileURL } from 'node:url';
import type { TaskRegistries } from '@argmin/core';

/**
 * A module that tells a worker what it can run: it exports `loadRegistries(): Promise<TaskRegistries>`
 * (the CLI's `@argmin/cli` registries module discovers every installed @argmin package). Workers
 * import it once per thread or process; it is given by path or URL so that threads and processes on
 * other machines load the same code.
 */
export type RegistriesModule = string;

const cache = new Map<string, Promise<TaskRegistries>>();

/** Imports a registries module (a path or a file:/ URL) once and calls its `loadRegistries`. */
export function loadRegistriesFrom(module: RegistriesModule): Promise<TaskRegistries> {
  const url = /^[a-z]+:/i.test(module) && !/^[a-z]:[\\/]/i.test(module) ? module : pathToFileURL(module).href;
  let loaded = cache.get(url);
  if (!loaded) {
    loaded = import(url).then((m: { loadRegistries?: () => Promise<TaskRegistries> | TaskRegistries }) => {
      if (typeof m.loadRegistries !== 'function') {
        throw new Error(`${module} does not export loadRegistries()`);
      }
      return m.loadRegistries();
    });
    cache.set(url, loaded);
  }
  return loaded;
}
