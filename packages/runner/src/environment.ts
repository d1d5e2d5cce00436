import { hostname } from 'node:os';
import type { TaskEnvironment } from '@argmin/core';

/** Where a task runs: runner kind, worker name, platform and Node version. */
export function environmentOf(runner: string, worker?: string): TaskEnvironment {
  return {
    runner,
    worker: worker ?? `${hostname()}:${process.pid}`,
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  };
}
