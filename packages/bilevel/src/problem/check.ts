import type { Rng, Vec } from '@argmin/core';
import type { BilevelOracle } from './bilevel-oracle';

/** Largest relative error of each derivative of a bilevel problem against five-point finite differences. */
export interface BilevelDerivativeCheck {
  readonly upperGradX: number;
  readonly upperGradY: number;
  readonly lowerGradX: number;
  readonly lowerGradY: number;
  readonly lowerHvpYY: number;
  readonly lowerCrossXY: number;
}

/** (−f(+2h) + 8f(+h) − 8f(−h) + f(−2h)) / 12h along direction d from z. */
function fivePoint(f: (z: Vec) => number, z: Vec, d: Vec, h: number, scratch: Vec): number {
  const at = (t: number) => {
    for (let i = 0; i < z.length; i++) scratch[i] = z[i] + t * d[i];
    return f(scratch);
  };
  return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Checks every derivative of `problem` at (x, y) along random directions (`directions` of them, from
 * `rng`) with five-point central differences: gradients against the values, ∇²_yy g·v against
 * differences of ∇_y g, and ∇²_xy g·v against x-differences of ⟨∇_y g(x, y), v⟩. Returns the largest
 * relative error of each (expect ~1e-8 for smooth problems with h = 1e-3).
 */
export function checkBilevelOracle(
  problem: BilevelOracle,
  x: Vec,
  y: Vec,
  { rng, directions = 3, step = 1e-3 }: { rng: Rng; directions?: number; step?: number },
): BilevelDerivativeCheck {
  const { dimX, dimY } = problem;
  const gx = new Float64Array(dimX);
  const gy = new Float64Array(dimY);
  const sx = new Float64Array(dimX);
  const sy = new Float64Array(dimY);
  const v = new Float64Array(dimY);
  const out = new Float64Array(dimY);
  const outX = new Float64Array(dimX);
  const dx = new Float64Array(dimX);
  const dy = new Float64Array(dimY);
  const dot = (a: Vec, b: Vec) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  };
  const result = {
    upperGradX: 0,
    upperGradY: 0,
    lowerGradX: 0,
    lowerGradY: 0,
    lowerHvpYY: 0,
    lowerCrossXY: 0,
  };
  for (let k = 0; k < directions; k++) {
    rng.fillNormal(dx);
    rng.fillNormal(dy);
    rng.fillNormal(v);
    problem.upperGradX(x, y, gx);
    result.upperGradX = Math.max(
      result.upperGradX,
      relative(
        dot(gx, dx),
        fivePoint((z) => problem.upperValue(z, y), x, dx, step, sx),
      ),
    );
    problem.upperGradY(x, y, gy);
    result.upperGradY = Math.max(
      result.upperGradY,
      relative(
        dot(gy, dy),
        fivePoint((z) => problem.upperValue(x, z), y, dy, step, sy),
      ),
    );
    problem.lowerGradX(x, y, gx);
    result.lowerGradX = Math.max(
      result.lowerGradX,
      relative(
        dot(gx, dx),
        fivePoint((z) => problem.lowerValue(z, y), x, dx, step, sx),
      ),
    );
    problem.lowerGradY(x, y, gy);
    result.lowerGradY = Math.max(
      result.lowerGradY,
      relative(
        dot(gy, dy),
        fivePoint((z) => problem.lowerValue(x, z), y, dy, step, sy),
      ),
    );
    // ⟨∇²_yy g · v, dy⟩ = d/dt ⟨∇_y g(x, y + t dy), v⟩
    problem.lowerHvpYY(x, y, v, out);
    result.lowerHvpYY = Math.max(
      result.lowerHvpYY,
      relative(
        dot(out, dy),
        fivePoint((z) => dot(problem.lowerGradY(x, z, gy), v), y, dy, step, sy),
      ),
    );
    // ⟨∇²_xy g · v, dx⟩ = d/dt ⟨∇_y g(x + t dx, y), v⟩
    problem.lowerCrossXY(x, y, v, outX);
    result.lowerCrossXY = Math.max(
      result.lowerCrossXY,
      relative(
        dot(outX, dx),
        fivePoint((z) => dot(problem.lowerGradY(z, y, gy), v), x, dx, step, sx),
      ),
    );
  }
  return result;
}
