import { executeTask, type Task, type TaskRecord, type TaskRegistries } from '@argmin/core';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { environmentOf } from './environment';
import type { RunOptions, RunSummary } from './runners';

/** Redis connection settings from a `redis://[user:password@]host:port[/db]` URL. */
export function connectionFromUrl(url: string): {
  host: string;
  port: number;
  db?: number;
  username?: string;
  password?: string;
} {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a Redis URL: ${url} (expected redis://HOST:PORT)`);
  }
  if (parsed.protocol !== 'redis:') throw new Error(`not a Redis URL: ${url} (expected redis://HOST:PORT)`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : undefined;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(db !== undefined && Number.isInteger(db) ? { db } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** Queue settings shared by producers and workers. */
export interface QueueSettings {
  /** redis://HOST:PORT */
  readonly url: string;
  /** BullMQ queue name (default 'argmin'). */
  readonly queueName?: string;
}

/** The Redis hash holding one record per task id (HSETNX: the first record written wins). */
export function resultsKey(queueName: string): string {
  return `argmin:${queueName}:results`;
}

/** How often and how patiently BullMQ retries a task (attempts with exponential backoff). */
export interface DeliveryOptions {
  /** Attempts per task, counting stalls (a killed worker) and errors (default 5). */
  readonly attempts?: number;
  /** First retry delay in ms, doubled each retry (default 200). */
  readonly backoffMs?: number;
}

/**
 * Enqueues tasks on a BullMQ queue and waits for every record. Delivery rests on BullMQ: the job id
 * is the task id (adding a task that is already queued is a no-op), failed or stalled jobs are
 * retried with exponential backoff, and a worker killed mid-task loses its lock so the job is
 * retried elsewhere. Records are written by workers with HSETNX under the task id, so a retry after
 * a task had finished never duplicates it, and a re-run of the sweep skips tasks with records.
 */
export async function runOnQueue(
  tasks: readonly Task[],
  {
    url,
    queueName = 'argmin',
    attempts = 5,
    backoffMs = 200,
    pollMs = 100,
    ...options
  }: RunOptions & QueueSettings & DeliveryOptions & { pollMs?: number },
): Promise<RunSummary> {
  const connection = { ...connectionFromUrl(url), maxRetriesPerRequest: null };
  const redis = new Redis(connection);
  const queue = new Queue(queueName, { connection });
  const key = resultsKey(queueName);
  const byId = new Map<string, TaskRecord>();
  let skipped = 0;
  let done = 0;
  const unique = [...new Map(tasks.map((t) => [t.id, t])).values()];
  try {
    // Records in the local store or already in Redis are not run again.
    const inRedis = unique.length ? await redis.hmget(key, ...unique.map((t) => t.id)) : [];
    const pending: Task[] = [];
    unique.forEach((task, i) => {
      const stored =
        options.store?.get(task.id) ??
        (inRedis[i] ? (JSON.parse(inRedis[i] as string) as TaskRecord) : undefined);
      if (stored) {
        byId.set(task.id, stored);
        options.store?.append(stored);
        skipped++;
        done++;
      } else pending.push(task);
    });
    if (pending.length > 0) {
      await queue.addBulk(
        pending.map((task) => ({
          name: task.spec.kind,
          data: { task },
          opts: {
            jobId: task.id,
            attempts,
            backoff: { type: 'exponential', delay: backoffMs },
            removeOnComplete: true,
            removeOnFail: false,
          },
        })),
      );
    }
    const waiting = new Set(pending.map((t) => t.id));
    while (waiting.size > 0) {
      if (options.signal?.aborted) {
        // Cancel: take back the jobs that have not started; running ones finish on their worker.
        await Promise.all([...waiting].map((id) => queue.remove(id).catch(() => 0)));
        return {
          records: unique.map((t) => byId.get(t.id)).filter((r): r is TaskRecord => Boolean(r)),
          skipped,
          cancelled: true,
        };
      }
      const ids = [...waiting];
      const values = await redis.hmget(key, ...ids);
      ids.forEach((id, i) => {
        const value = values[i];
        if (!value) return;
        const record = JSON.parse(value) as TaskRecord;
        byId.set(id, record);
        waiting.delete(id);
        options.store?.append(record);
        options.onRecord?.(record, ++done, unique.length);
      });
      if (waiting.size > 0) {
        // A job that failed every attempt without leaving a record (a worker that crashes the process
        // each time) is reported as an error record, not waited on forever.
        for (const id of [...waiting]) {
          const job = await queue.getJob(id);
          if (job && (await job.isFailed()) && job.attemptsMade >= attempts) {
            const record: TaskRecord = {
              id,
              spec: job.data.task.spec,
              status: 'error',
              error: job.failedReason || 'failed on every attempt',
              elapsedMs: 0,
              attempt: job.attemptsMade,
              environment: { runner: 'queue' },
            };
            if ((await redis.hsetnx(key, id, JSON.stringify(record))) === 1) continue;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }
    return {
      records: tasks.map((t) => byId.get(t.id)).filter((r): r is TaskRecord => Boolean(r)),
      skipped,
      cancelled: false,
    };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/** A running queue worker; `close()` finishes the current tasks and disconnects. */
export interface QueueWorkerHandle {
  close(): Promise<void>;
  /** Resolves when the worker is connected and taking jobs. */
  readonly ready: Promise<void>;
}

/**
 * Takes tasks from the queue and runs them (any machine that reaches Redis can run one, e.g.
 * `argmin worker --queue redis://HOST:PORT`). `lockDurationMs` is how long a job stays locked
 * without a heartbeat: a killed worker's job is retried after about that long.
 */
export function startQueueWorker(
  registries: TaskRegistries,
  {
    url,
    queueName = 'argmin',
    concurrency = 1,
    lockDurationMs = 30_000,
    stalledIntervalMs,
    name,
  }: QueueSettings & {
    concurrency?: number;
    lockDurationMs?: number;
    stalledIntervalMs?: number;
    name?: string;
  },
): QueueWorkerHandle {
  const connection = { ...connectionFromUrl(url), maxRetriesPerRequest: null };
  const redis = new Redis(connection);
  const key = resultsKey(queueName);
  const environment = environmentOf('queue', name);
  const worker = new Worker(
    queueName,
    async (job) => {
      const task = job.data.task as Task;
      const existing = await redis.hget(key, task.id);
      if (existing) return 'duplicate';
      const record = await executeTask(task, registries, { environment, attempt: job.attemptsMade + 1 });
      await redis.hsetnx(key, task.id, JSON.stringify(record));
      return record.status;
    },
    {
      connection,
      concurrency,
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs ?? Math.max(500, Math.floor(lockDurationMs / 2)),
      maxStalledCount: 3,
    },
  );
  const ready = worker.waitUntilReady().then(() => undefined);
  return {
    ready,
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}
