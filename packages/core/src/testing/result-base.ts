import type { SolveStatus } from '../spec/optimizer';

/** Every status a `ResultBase` may carry. */
export const solveStatuses: readonly SolveStatus[] = [
  'converged',
  'max-iterations',
  'stalled',
  'diverged',
  'numerical-error',
  'stopped-by-observer',
  'aborted',
];

export interface ResultBaseExpectations {
  /** Upper bound on `iterations` (e.g. the run's iteration cap). */
  readonly maxIterations?: number;
  /** Label for messages (e.g. the method id and case). */
  readonly label?: string;
}

function fail(label: string, message: string): never {
  throw new Error(`${label}: ${message}`);
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}

/**
 * Checks the `ResultBase` contract on any area's result (optimizer, linear solve, OT solve, sampler)
 * and throws an Error naming the first violation: `status` is a known status; `converged` is
 * `status === 'converged'`; `iterations` is a non-negative integer (≤ `maxIterations` when given);
 * `message` is a string; `warnings` is an array of `{ type, message }` strings; `trace` is columnar:
 * `iteration` non-decreasing integers in [0, iterations], `elapsedMs` and every `metrics` column of
 * the same length, all numbers. Plain function (no test runner needed); returns the result.
 */
export function assertResultBase<R>(
  result: R,
  { maxIterations, label = 'result' }: ResultBaseExpectations = {},
): R {
  if (typeof result !== 'object' || result === null)
    fail(label, `expected a result object; got ${String(result)}`);
  const r = result as Record<string, unknown>;
  if (!solveStatuses.includes(r.status as SolveStatus))
    fail(label, `status ${JSON.stringify(r.status)} is not one of ${solveStatuses.join(', ')}`);
  if (r.converged !== (r.status === 'converged'))
    fail(label, `converged is ${String(r.converged)} but status is '${String(r.status)}'`);
  const iterations = r.iterations;
  if (typeof iterations !== 'number' || !Number.isInteger(iterations) || iterations < 0)
    fail(label, `iterations must be a non-negative integer; got ${String(iterations)}`);
  if (maxIterations !== undefined && iterations > maxIterations)
    fail(label, `iterations ${iterations} exceeds the cap ${maxIterations}`);
  if (typeof r.message !== 'string') fail(label, `message must be a string; got ${typeof r.message}`);
  if (!Array.isArray(r.warnings)) fail(label, 'warnings must be an array');
  r.warnings.forEach((w, k) => {
    const warning = w as { type?: unknown; message?: unknown } | null;
    if (typeof warning?.type !== 'string' || typeof warning?.message !== 'string')
      fail(label, `warnings[${k}] must be { type: string, message: string }; got ${JSON.stringify(w)}`);
  });
  const trace = r.trace as { iteration?: unknown; elapsedMs?: unknown; metrics?: unknown } | undefined;
  if (typeof trace !== 'object' || trace === null)
    fail(label, 'trace must be an object { iteration, elapsedMs, metrics }');
  if (!isNumberArray(trace.iteration)) fail(label, 'trace.iteration must be an array of numbers');
  const rows = trace.iteration.length;
  for (let k = 0; k < rows; k++) {
    const i = trace.iteration[k];
    if (!Number.isInteger(i) || i < 0 || i > iterations)
      fail(label, `trace.iteration[${k}] = ${i} is not an integer in [0, iterations = ${iterations}]`);
    if (k > 0 && i < trace.iteration[k - 1])
      fail(label, `trace.iteration decreases at row ${k} (${trace.iteration[k - 1]} then ${i})`);
  }
  if (!isNumberArray(trace.elapsedMs) || trace.elapsedMs.length !== rows)
    fail(label, `trace.elapsedMs must be ${rows} numbers (one per trace.iteration)`);
  if (typeof trace.metrics !== 'object' || trace.metrics === null || Array.isArray(trace.metrics))
    fail(label, 'trace.metrics must be an object of columns');
  for (const [name, column] of Object.entries(trace.metrics))
    if (!isNumberArray(column) || column.length !== rows)
      fail(
        label,
        `trace.metrics.${name} must be ${rows} numbers (one per trace.iteration); got ${Array.isArray(column) ? `${column.length} entries` : typeof column}`,
      );
  return result;
}
