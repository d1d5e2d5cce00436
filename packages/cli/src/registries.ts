// What a worker can run: every installed @argmin package's experiments, pipeline plugins and task
// functions. Worker threads and queue workers import this module (by path) and call loadRegistries.
import type { TaskFunction, TaskRegistries } from '@argmin/core';
import { runnerTasks } from '@argmin/runner';
import { discover } from './discover';

let cached: Promise<TaskRegistries> | undefined;

/** The registries of this installation (discovered once per thread or process). */
export function loadRegistries(): Promise<TaskRegistries> {
  cached ??= discover().then((discovery) => {
    const functions: Record<string, TaskFunction> = { ...runnerTasks };
    return {
      experiments: discovery.experiments,
      pipelines: {
        methods: discovery.plugins,
        problems: discovery.problems,
        metrics: discovery.metrics,
        bindings: discovery.stages,
      },
      functions,
    };
  });
  return cached;
}
