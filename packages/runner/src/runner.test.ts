import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineTask, expandSweep, type Task, type TaskRecord } from '@argmin/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnQueue } from './queue';
import { type RedisServer, startRedisServer } from './redis-server';
import { loadRegistriesFrom } from './registries';
import { runInProcess, runOnThreads } from './runners';
import { JsonlStore } from './store';
import { darcySequenceTasks } from './workloads/darcy';

const here = dirname(fileURLToPath(import.meta.url));
const registriesModule = join(here, '__fixtures__', 'registries.mjs');
const workerMain = join(here, '..', 'dist', 'queue-worker-main.js');
const scratch = mkdtempSync(join(tmpdir(), 'argmin-runner-test-'));

/** A deterministic sweep: least-squares solves over sizes and seeds, plus a 24-system Darcy sequence in chunks. */
const sweep: Task[] = [
  ...expandSweep({
    base: { kind: 'function', name: 'test/lstsq', args: { seed: 0, rows: 30, cols: 5 } },
    grid: { 'args.rows': [20, 40], 'args.seed': [1, 2, 3] },
  }),
  ...darcySequenceTasks({ seed: 3, systems: 24, chunk: 6, gridSize: 8 }).map((spec) => defineTask(spec)),
];
const results = (records: readonly TaskRecord[]) =>
  records.map((r) => JSON.stringify([r.id, r.status, r.result]));

describe('JsonlStore', () => {
  it('keeps one record per task id and ignores a torn last line', () => {
    const path = join(scratch, 'store.jsonl');
    const store = new JsonlStore(path);
    const record = {
      id: 'a',
      spec: { kind: 'function', name: 'f', args: null },
      status: 'ok',
      elapsedMs: 1,
      environment: { runner: 'x' },
    } as const;
    expect(store.append(record)).toBe(true);
    expect(store.append({ ...record, elapsedMs: 2 })).toBe(false);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"id":"b","sta`);
    const reloaded = new JsonlStore(path);
    expect(reloaded.all().map((r) => r.id)).toEqual(['a']);
  });
});

describe('the same sweep in-process and on 2 worker threads', () => {
  it('gives identical result records (bit-identical numbers) and skips stored tasks on a re-run', async () => {
    const registries = await loadRegistriesFrom(registriesModule);
    const local = await runInProcess(sweep, registries);
    expect(local.records.every((r) => r.status === 'ok')).toBe(true);
    const darcy = local.records.filter(
      (r) => r.spec.kind === 'function' && r.spec.name === 'linsolve/darcy-chunk',
    );
    expect(darcy).toHaveLength(4);
    expect(darcy.every((r) => (r.result as { converged: number }).converged === 6)).toBe(true);
    const store = new JsonlStore(join(scratch, 'threads.jsonl'));
    const threaded = await runOnThreads(sweep, { workers: 2, registriesModule, store });
    expect(results(threaded.records)).toEqual(results(local.records));
    expect(new Set(threaded.records.map((r) => r.environment.worker)).size).toBeGreaterThan(1);
    const again = await runOnThreads(sweep, { workers: 2, registriesModule, store });
    expect(again.skipped).toBe(sweep.length);
    expect(results(again.records)).toEqual(results(local.records));
  });
});

describe('through Redis with worker processes (BullMQ)', () => {
  let server: RedisServer;
  let redis: Redis;
  const workers: ChildProcess[] = [];
  const startWorker = (name: string, lockMs = 30_000) =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(
        workerMain,
        [
          '--queue',
          server.url,
          '--module',
          registriesModule,
          '--queue-name',
          queueName,
          '--lock-ms',
          String(lockMs),
          '--name',
          name,
        ],
        { stdio: 'ignore' },
      );
      workers.push(child);
      child.once('message', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code}`)));
    });
  let queueName = 'unset';
  const stopWorkers = async () => {
    await Promise.all(
      workers.splice(0).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    await stopWorkers();
    redis?.disconnect();
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
    // Nothing left behind: the server process is gone.
    expect(() => process.kill(server.pid as number, 0)).toThrow();
  });

  it('2 worker processes give the same result records as in-process', async () => {
    queueName = 'same-records';
    await Promise.all([startWorker('w1'), startWorker('w2')]);
    const registries = await loadRegistriesFrom(registriesModule);
    const local = await runInProcess(sweep, registries);
    const queued = await runOnQueue(sweep, { url: server.url, queueName });
    expect(results(queued.records)).toEqual(results(local.records));
    expect(new Set(queued.records.map((r) => r.environment.worker)).size).toBe(2);
    await stopWorkers();
  });

  it('a worker killed mid-task loses nothing: every task is recorded exactly once, and a restart runs none again', async () => {
    queueName = 'kill';
    const tasks = Array.from({ length: 6 }, (_, i) =>
      defineTask({
        kind: 'function',
        name: 'test/slow',
        args: { ms: 700, value: i, redisUrl: server.url, id: i },
      }),
    );
    const victim = await startWorker('victim', 1000);
    await startWorker('survivor', 1000);
    const store = new JsonlStore(join(scratch, 'queue.jsonl'));
    const run = runOnQueue(tasks, { url: server.url, queueName, store, backoffMs: 50 });
    // Kill one worker while it holds a task (wait until it has started one).
    const deadline = Date.now() + 30_000;
    while (!(await redis.get(`argmin-test:started-by:${victim.pid}`)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    victim.kill('SIGKILL');
    const summary = await run;
    expect(summary.records).toHaveLength(6);
    expect(summary.records.every((r) => r.status === 'ok')).toBe(true);
    expect(summary.records.map((r) => (r.result as { value: number }).value)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(await redis.hlen(`argmin:${queueName}:results`)).toBe(6);
    const lines = readFileSync(store.path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((l) => JSON.parse(l).id)).size).toBe(6);
    // The killed worker's task ran at least twice (it was retried) but was recorded once.
    const executions = await Promise.all(tasks.map((_, i) => redis.get(`argmin-test:executions:${i}`)));
    const total = executions.reduce((s, v) => s + Number(v), 0);
    expect(total).toBeGreaterThanOrEqual(7);
    // Restart the sweep: nothing runs again.
    const again = await runOnQueue(tasks, { url: server.url, queueName, store: new JsonlStore(store.path) });
    expect(again.skipped).toBe(6);
    const after = await Promise.all(tasks.map((_, i) => redis.get(`argmin-test:executions:${i}`)));
    expect(after).toEqual(executions);
    await stopWorkers();
  });
});
