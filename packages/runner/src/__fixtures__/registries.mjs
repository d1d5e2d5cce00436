// Registries for the runner's tests (plain JS: worker threads and processes import it without a
// TypeScript loader). Deterministic numeric tasks, the Darcy workload, and a slow task that counts
// its executions in Redis (to show a killed worker's task ran again but was recorded once).
import { createRng, lbfgs, leastSquares, maxIterations, solve } from '@argmin/core';
import { runnerTasks } from '@argmin/runner';
import { Redis } from 'ioredis';

const lstsq = ({ seed, rows, cols }) => {
  const rng = createRng(seed);
  const A = { rows, cols, data: rng.fillNormal(new Float64Array(rows * cols)) };
  const b = rng.fillNormal(new Float64Array(rows));
  const result = solve(lbfgs({ memory: 5 }), leastSquares(A, b), new Float64Array(cols), {
    stopWhen: maxIterations(50),
  });
  return { x: Array.from(result.x), value: result.info.value, iterations: result.iterations };
};

let redis;
const slow = async ({ ms, value, redisUrl, id }) => {
  if (redisUrl) {
    redis ??= new Redis(redisUrl);
    await redis.incr(`argmin-test:executions:${id}`);
    await redis.set(`argmin-test:started-by:${process.pid}`, String(id));
  }
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { value: value * 2 };
};

export async function loadRegistries() {
  return { experiments: [], functions: { ...runnerTasks, 'test/lstsq': lstsq, 'test/slow': slow } };
}
