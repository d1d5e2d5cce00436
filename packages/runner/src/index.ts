// @argmin/runner: Node-side task runners — in-process, worker threads (piscina), BullMQ queues on Redis.
export { environmentOf } from './environment';
export type { DeliveryOptions, QueueSettings, QueueWorkerHandle } from './queue';
export { connectionFromUrl, resultsKey, runOnQueue, startQueueWorker } from './queue';
export type { RedisServer } from './redis-server';
export { freePort, startRedisServer } from './redis-server';
export type { RegistriesModule } from './registries';
export { loadRegistriesFrom } from './registries';
export type { RunOptions, RunSummary } from './runners';
export { runInProcess, runOnThreads, workerEntry } from './runners';
export { JsonlStore } from './store';
export type { DarcyChunkArgs } from './workloads/darcy';
export { darcyChunk, darcySequenceTasks, runnerTasks } from './workloads/darcy';
