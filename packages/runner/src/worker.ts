// The entry piscina threads load: runs one task with the registries of the given module.
import { threadId } from 'node:worker_threads';
import { executeTask, type Task, type TaskRecord } from '@argmin/core';
import { environmentOf } from './environment';
import { loadRegistriesFrom } from './registries';

export default async function runTaskInWorker({
  task,
  registriesModule,
}: {
  task: Task;
  registriesModule: string;
}): Promise<TaskRecord> {
  const registries = await loadRegistriesFrom(registriesModule);
  return executeTask(task, registries, {
    environment: environmentOf('threads', `${process.pid}:thread-${threadId}`),
  });
}
