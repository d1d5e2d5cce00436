import { InvalidArgumentError } from '../errors/argmin-error';
import type {
  BlockCapability,
  BlockMethods,
  MapCapability,
  TwoBlockFunction,
  VectorMap,
} from '../spec/derivatives';
import type { Operator } from '../spec/operator';
import type { Oracle } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import { assertFinite, assertLength } from '../validate/validate';

/** A Float64Array copy of a fixed block (validated: right length, finite). */
function frozen(where: string, argument: string, value: ArrayLike<number>, length: number): Vec {
  if (value === null || typeof value !== 'object' || typeof value.length !== 'number')
    throw new InvalidArgumentError({
      argument,
      value,
      message: `${where}: \`${argument}\` must be an array of ${length} numbers; got ${String(value)}.`,
    });
  assertLength(where, argument, value, length);
  assertFinite(where, argument, value);
  return Float64Array.from(value);
}

function dimension(where: string, argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new InvalidArgumentError({
      argument,
      value,
      message: `${where}: \`${argument}\` must be a non-negative integer; got ${String(value)}.`,
    });
  return value;
}

/** Oracle capabilities of y ↦ g(x, y) given the block capabilities of g. */
export type FixedXCapabilities<C extends BlockCapability> =
  | (C extends 'value' ? 'value' : never)
  | (C extends 'gradY' ? 'grad' : never)
  | (C extends 'hvpYY' ? 'hvp' : never);

/** Oracle capabilities of x ↦ g(x, y) given the block capabilities of g. */
export type FixedYCapabilities<C extends BlockCapability> =
  | (C extends 'value' ? 'value' : never)
  | (C extends 'gradX' ? 'grad' : never)
  | (C extends 'hvpXX' ? 'hvp' : never);

/**
 * The oracle y ↦ g(x, y) at a fixed x (copied): value, grad = ∇_y g, hvp = ∇²_yy g, whichever g
 * has. The lower level of a bilevel problem at the current x is `fixX(lower, x)`, solved by any core
 * method; `checkGradient(fixX(g, x), y)` checks `gradY`.
 *
 * @example
 * const inner = fixX(problem.lower, x); // Oracle<'value' | 'grad' | 'hvp'> in y
 * const result = solve(lbfgs(), inner, y0, { stopWhen });
 */
export function fixX<C extends BlockCapability>(
  g: TwoBlockFunction<C>,
  x: ArrayLike<number>,
): Oracle<FixedXCapabilities<C>> {
  const ny = dimension('fixX', 'g.dimensionY', g.dimensionY);
  const at = frozen('fixX', 'x', x, dimension('fixX', 'g.dimensionX', g.dimensionX));
  const source = g as unknown as Partial<BlockMethods>;
  const oracle: Record<string, unknown> = { dimension: ny };
  if (source.value) {
    const f = source.value.bind(g);
    oracle.value = (y: Vec) => f(at, y);
  }
  if (source.gradY) {
    const f = source.gradY.bind(g);
    oracle.grad = (y: Vec, out: Vec) => f(at, y, out);
  }
  if (source.hvpYY) {
    const f = source.hvpYY.bind(g);
    oracle.hvp = (y: Vec, v: Vec, out: Vec) => f(at, y, v, out);
  }
  return oracle as Oracle<FixedXCapabilities<C>>;
}

/** The oracle x ↦ g(x, y) at a fixed y (copied): value, grad = ∇_x g, hvp = ∇²_xx g, whichever g has. */
export function fixY<C extends BlockCapability>(
  g: TwoBlockFunction<C>,
  y: ArrayLike<number>,
): Oracle<FixedYCapabilities<C>> {
  const nx = dimension('fixY', 'g.dimensionX', g.dimensionX);
  const at = frozen('fixY', 'y', y, dimension('fixY', 'g.dimensionY', g.dimensionY));
  const source = g as unknown as Partial<BlockMethods>;
  const oracle: Record<string, unknown> = { dimension: nx };
  if (source.value) {
    const f = source.value.bind(g);
    oracle.value = (x: Vec) => f(x, at);
  }
  if (source.gradX) {
    const f = source.gradX.bind(g);
    oracle.grad = (x: Vec, out: Vec) => f(x, at, out);
  }
  if (source.hvpXX) {
    const f = source.hvpXX.bind(g);
    oracle.hvp = (x: Vec, u: Vec, out: Vec) => f(x, at, u, out);
  }
  return oracle as Oracle<FixedYCapabilities<C>>;
}

/**
 * The Jacobian J_F(x) of a vector-valued map at x (copied) as an `Operator` (outputDimension x
 * inputDimension): apply = jvp, applyTranspose = vjp when F has it. For LSQR/CGLS on a linearization,
 * Gauss-Newton steps and implicit differentiation through a fixed point ((I − J_T)ᵀ solves).
 */
export function jacobianOperator(
  map: VectorMap<'jvp'> | VectorMap<'jvp' | 'vjp'>,
  x: ArrayLike<number>,
): Operator {
  const n = dimension('jacobianOperator', 'map.inputDimension', map.inputDimension);
  const m = dimension('jacobianOperator', 'map.outputDimension', map.outputDimension);
  if (typeof map.jvp !== 'function')
    throw new InvalidArgumentError({
      argument: 'map',
      value: 'no jvp',
      message: 'jacobianOperator: `map` has no jvp; a Jacobian operator applies J v with jvp(x, v, out).',
    });
  const at = frozen('jacobianOperator', 'x', x, n);
  const jvp = map.jvp.bind(map);
  const vjp = (map as VectorMap<MapCapability>).vjp?.bind(map);
  const transpose = vjp ? (w: Vec, out: Vec) => vjp(at, w, out) : undefined;
  return {
    rows: m,
    cols: n,
    apply: (v, out) => jvp(at, v, out),
    ...(transpose ? { applyTranspose: transpose, applyAdjoint: transpose } : {}),
  };
}

/**
 * The cross second derivative ∇²_xy g(x, y) (nx x ny) at (x, y) (both copied) as an `Operator`:
 * apply = crossHvpXY (v of length ny ↦ length nx), applyTranspose = crossHvpYX when g has it.
 */
export function crossHvpOperator(
  g: TwoBlockFunction<'crossHvpXY'> | TwoBlockFunction<'crossHvpXY' | 'crossHvpYX'>,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): Operator {
  const nx = dimension('crossHvpOperator', 'g.dimensionX', g.dimensionX);
  const ny = dimension('crossHvpOperator', 'g.dimensionY', g.dimensionY);
  if (typeof g.crossHvpXY !== 'function')
    throw new InvalidArgumentError({
      argument: 'g',
      value: 'no crossHvpXY',
      message: 'crossHvpOperator: `g` has no crossHvpXY(x, y, v, out).',
    });
  const atX = frozen('crossHvpOperator', 'x', x, nx);
  const atY = frozen('crossHvpOperator', 'y', y, ny);
  const xy = g.crossHvpXY.bind(g);
  const yx = g.crossHvpYX?.bind(g);
  const transpose = yx ? (u: Vec, out: Vec) => yx(atX, atY, u, out) : undefined;
  return {
    rows: nx,
    cols: ny,
    apply: (v, out) => xy(atX, atY, v, out),
    ...(transpose ? { applyTranspose: transpose, applyAdjoint: transpose } : {}),
  };
}

/**
 * The Hessian ∇²f(x) of an oracle at x (copied) as a symmetric `Operator` (apply = hvp, its own
 * transpose). With `fixX`, `hessianOperator(fixX(lower, x), y)` is ∇²_yy g, the matrix CG inverts
 * in an implicit hypergradient. `positiveDefinite` is not claimed (declare it with `traits`).
 */
export function hessianOperator(
  oracle: { readonly dimension: number; hvp(x: Vec, v: Vec, out: Vec): Vec },
  x: ArrayLike<number>,
  traits: { readonly positiveDefinite?: boolean } = {},
): Operator {
  const n = dimension('hessianOperator', 'oracle.dimension', oracle.dimension);
  if (typeof oracle.hvp !== 'function')
    throw new InvalidArgumentError({
      argument: 'oracle',
      value: 'no hvp',
      message: 'hessianOperator: `oracle` has no hvp(x, v, out).',
    });
  const at = frozen('hessianOperator', 'x', x, n);
  const hvp = oracle.hvp.bind(oracle);
  const apply = (v: Vec, out: Vec) => hvp(at, v, out);
  return {
    rows: n,
    cols: n,
    traits: { symmetric: true, positiveDefinite: traits.positiveDefinite === true },
    apply,
    applyTranspose: apply,
    applyAdjoint: apply,
  };
}
