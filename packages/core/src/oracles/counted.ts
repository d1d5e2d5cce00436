import { InvalidArgumentError } from '../errors/argmin-error';
import type {
  Batch,
  Capability,
  CapabilityMethods,
  Oracle,
  OracleCounts,
  OracleExtras,
} from '../spec/oracle';
import { capabilities } from '../spec/oracle';

const countsKey = Symbol.for('argmin.oracle.counts');

/** An oracle whose calls are counted; `counts` is live, `resetCounts()` zeroes it. */
export type CountedOracle<O> = O & {
  readonly counts: Readonly<OracleCounts>;
  resetCounts(): void;
  /** Sum of value, grad, hvp, sampleGrad, componentGrad and batch value/grad/hvp calls. */
  totalCalls(): number;
};

function emptyCounts(): OracleCounts {
  return {
    value: 0,
    grad: 0,
    hvp: 0,
    sampleGrad: 0,
    componentGrad: 0,
    valueAndGrad: 0,
    drawBatch: 0,
    batchValue: 0,
    batchGrad: 0,
    batchHvp: 0,
  };
}

/**
 * Wraps an oracle so that every call is counted, to measure complexity claims (gradient calls,
 * HVPs, component gradients). `valueAndGrad` counts one value and one grad. `solve` reads the counts
 * for `oracleCallsAbove` and `result.oracleCalls` when the problem is (or has `.oracle` that is)
 * a counted oracle.
 *
 * @example
 * const f = counted(rosenbrock(2));
 * f.grad(x, g); f.counts.grad; // 1
 */
export function counted<O extends Oracle<never>>(oracle: O): CountedOracle<O> {
  if (typeof oracle !== 'object' || oracle === null) {
    throw new InvalidArgumentError({
      argument: 'oracle',
      value: oracle,
      message: `counted: \`oracle\` must be an oracle object (with dimension, value, grad, ...); got ${oracle === null ? 'null' : typeof oracle}.`,
    });
  }
  const counts = emptyCounts();
  const source = oracle as unknown as Partial<CapabilityMethods> & OracleExtras;
  // Inherit everything else (dimension, components, extra methods) from the original oracle.
  const wrapped = Object.create(oracle as object) as Record<string | symbol, unknown>;
  if (source.value) {
    const f = source.value.bind(source);
    wrapped.value = (x: Float64Array) => {
      counts.value++;
      return f(x);
    };
  }
  if (source.grad) {
    const f = source.grad.bind(source);
    wrapped.grad = (x: Float64Array, out: Float64Array) => {
      counts.grad++;
      return f(x, out);
    };
  }
  if (source.hvp) {
    const f = source.hvp.bind(source);
    wrapped.hvp = (x: Float64Array, v: Float64Array, out: Float64Array) => {
      counts.hvp++;
      return f(x, v, out);
    };
  }
  if (source.sampleGrad) {
    const f = source.sampleGrad.bind(source);
    wrapped.sampleGrad = (x: Float64Array, rng: never, out: Float64Array) => {
      counts.sampleGrad++;
      return f(x, rng, out);
    };
  }
  if (source.componentGrad) {
    const f = source.componentGrad.bind(source);
    wrapped.componentGrad = (index: number, x: Float64Array, out: Float64Array) => {
      counts.componentGrad++;
      return f(index, x, out);
    };
  }
  if (source.drawBatch) {
    const f = source.drawBatch.bind(source);
    wrapped.drawBatch = (rng: never, size?: number) => {
      counts.drawBatch++;
      return f(rng, size);
    };
  }
  if (source.batchValue) {
    const f = source.batchValue.bind(source);
    wrapped.batchValue = (batch: Batch, x: Float64Array) => {
      counts.batchValue++;
      return f(batch, x);
    };
  }
  if (source.batchGrad) {
    const f = source.batchGrad.bind(source);
    wrapped.batchGrad = (batch: Batch, x: Float64Array, out: Float64Array) => {
      counts.batchGrad++;
      return f(batch, x, out);
    };
  }
  if (source.batchHvp) {
    const f = source.batchHvp.bind(source);
    wrapped.batchHvp = (batch: Batch, x: Float64Array, v: Float64Array, out: Float64Array) => {
      counts.batchHvp++;
      return f(batch, x, v, out);
    };
  }
  if (source.valueAndGrad) {
    const f = source.valueAndGrad.bind(source);
    wrapped.valueAndGrad = (x: Float64Array, out: Float64Array) => {
      counts.value++;
      counts.grad++;
      counts.valueAndGrad++;
      return f(x, out);
    };
  }
  wrapped.counts = counts;
  wrapped[countsKey] = counts;
  wrapped.resetCounts = () => Object.assign(counts, emptyCounts());
  wrapped.totalCalls = () => total(counts);
  return wrapped as unknown as CountedOracle<O>;
}

/**
 * Total oracle calls of a counted oracle, or of `problem.oracle` when the problem wraps one;
 * undefined when nothing is counted. A valueAndGrad call counts once.
 */
export function oracleCallsOf(problem: unknown): number | undefined {
  const direct = countsOf(problem);
  if (direct) return total(direct);
  if (typeof problem === 'object' && problem !== null && 'oracle' in problem) {
    const nested = countsOf((problem as { oracle: unknown }).oracle);
    if (nested) return total(nested);
  }
  return undefined;
}

function countsOf(value: unknown): OracleCounts | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<symbol, OracleCounts | undefined>)[countsKey];
}

function total(c: OracleCounts): number {
  return (
    c.value +
    c.grad -
    c.valueAndGrad +
    c.hvp +
    c.sampleGrad +
    c.componentGrad +
    c.batchValue +
    c.batchGrad +
    c.batchHvp
  );
}

/** Capabilities an oracle provides (methods present). */
export function capabilitiesOf(oracle: object): Capability[] {
  return capabilities.filter((c) => typeof (oracle as Record<string, unknown>)[c] === 'function');
}
