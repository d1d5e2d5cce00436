import { type BilevelProblem, InvalidArgumentError, type TwoBlockFunction } from '@argmin/core';
import type { BilevelOracle } from './bilevel-oracle';

/**
 * The oracle the bilevel methods call, from core's `BilevelProblem` (two `TwoBlockFunction`s: the
 * upper level f(x, y) with value, gradX, gradY and the lower level g(x, y) with value, gradX, gradY,
 * hvpYY, crossHvpXY). Minibatches come from the functions' own `drawBatch` / `atBatch`.
 *
 * @example
 * const oracle = toBilevelOracle({ dimensionX: 3, dimensionY: 5, upper: f, lower: g });
 * solve(hypergradientDescent({ estimator: 'implicit' }), oracle, x0);
 */
export function toBilevelOracle({
  upper,
  lower,
}: BilevelProblem<
  'value' | 'gradX' | 'gradY',
  'value' | 'gradX' | 'gradY' | 'hvpYY' | 'crossHvpXY'
>): BilevelOracle {
  const need = [
    ['upper', upper, ['value', 'gradX', 'gradY']],
    ['lower', lower, ['value', 'gradX', 'gradY', 'hvpYY', 'crossHvpXY']],
  ] as const;
  for (const [name, fn, methods] of need) {
    const missing = methods.filter(
      (m) => typeof (fn as unknown as Record<string, unknown>)?.[m] !== 'function',
    );
    if (missing.length > 0) {
      throw new InvalidArgumentError({
        argument: name,
        value: missing,
        message: `toBilevelOracle: the ${name} level lacks ${missing.join(', ')}.`,
      });
    }
  }
  if (upper.dimensionX !== lower.dimensionX || upper.dimensionY !== lower.dimensionY) {
    throw new InvalidArgumentError({
      argument: 'upper/lower',
      value: [upper.dimensionX, upper.dimensionY, lower.dimensionX, lower.dimensionY],
      message: `toBilevelOracle: both levels need the same block sizes; got upper ${upper.dimensionX} x ${upper.dimensionY} and lower ${lower.dimensionX} x ${lower.dimensionY}.`,
    });
  }
  const on = <F extends TwoBlockFunction<never>>(
    fn: F,
    batch: Parameters<NonNullable<F['atBatch']>>[0] | undefined,
  ) => (batch && fn.atBatch ? fn.atBatch(batch) : fn) as F;
  return {
    dimX: upper.dimensionX,
    dimY: upper.dimensionY,
    upperValue: (x, y, b) => on(upper, b).value(x, y),
    upperGradX: (x, y, out, b) => on(upper, b).gradX(x, y, out),
    upperGradY: (x, y, out, b) => on(upper, b).gradY(x, y, out),
    lowerValue: (x, y, b) => on(lower, b).value(x, y),
    lowerGradX: (x, y, out, b) => on(lower, b).gradX(x, y, out),
    lowerGradY: (x, y, out, b) => on(lower, b).gradY(x, y, out),
    lowerHvpYY: (x, y, v, out, b) => on(lower, b).hvpYY(x, y, v, out),
    lowerCrossXY: (x, y, v, out, b) => on(lower, b).crossHvpXY(x, y, v, out),
    ...(upper.drawBatch
      ? { drawUpperBatch: (rng) => (upper.drawBatch as NonNullable<typeof upper.drawBatch>)(rng) }
      : {}),
    ...(lower.drawBatch
      ? { drawLowerBatch: (rng) => (lower.drawBatch as NonNullable<typeof lower.drawBatch>)(rng) }
      : {}),
  };
}

/** The lower level of a bilevel problem as a core `TwoBlockFunction` (for core's checkers and fixX/fixY). */
export function lowerLevelOf(
  problem: BilevelOracle,
): TwoBlockFunction<'value' | 'gradX' | 'gradY' | 'hvpYY' | 'crossHvpXY'> {
  return {
    dimensionX: problem.dimX,
    dimensionY: problem.dimY,
    value: (x, y) => problem.lowerValue(x, y),
    gradX: (x, y, out) => problem.lowerGradX(x, y, out),
    gradY: (x, y, out) => problem.lowerGradY(x, y, out),
    hvpYY: (x, y, v, out) => problem.lowerHvpYY(x, y, v, out),
    crossHvpXY: (x, y, v, out) => problem.lowerCrossXY(x, y, v, out),
  };
}
