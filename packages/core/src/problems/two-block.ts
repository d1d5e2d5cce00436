import type { DenseMatrix } from '../linalg/dense-matrix';
import { cholesky } from '../linalg/factorizations';
import { gemv, gemvTransposed } from '../linalg/gemv';
import type { Rng } from '../rng/rng';
import type { BilevelProblem, BlockCapability, TwoBlockFunction } from '../spec/derivatives';
import type { Vec } from '../spec/vec';
import { assertInteger, assertPositive } from '../validate/validate';

/** A random SPD matrix M Mᵀ / n + shift · I (row-major). */
function randomSpd(n: number, shift: number, rng: Rng): DenseMatrix {
  const M = rng.fillNormal(new Float64Array(n * n));
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
      data[i * n + j] = data[j * n + i] = s / n + (i === j ? shift : 0);
    }
  return { rows: n, cols: n, data };
}

/**
 * A nonlinear two-block test function with every block capability, for checking the two-block
 * contract and the bilevel methods built on it:
 *
 * g(x, y) = ½ yᵀQy − yᵀB tanh(x) + ¼ Σ_i x_i⁴ + Σ_ij D_ij x_i y_j²,
 *
 * with Q SPD (ny x ny), B (ny x nx) and D (nx x ny) random (D scaled by `coupling`). Derivatives:
 * ∇_x g = −sech²(x) ⊙ Bᵀy + x³ + D (y ⊙ y); ∇_y g = Qy − B tanh(x) + 2 y ⊙ (Dᵀx);
 * ∇²_xx g = diag(2 sech²(x) tanh(x) ⊙ Bᵀy + 3x²); ∇²_yy g = Q + 2 diag(Dᵀx);
 * ∇²_xy g = −diag(sech²(x)) Bᵀ + 2 D diag(y) (nx x ny), ∇²_yx g its transpose.
 */
export function randomTwoBlock(
  dimensionX: number,
  dimensionY: number,
  rng: Rng,
  { coupling = 0.1 }: { coupling?: number } = {},
): TwoBlockFunction<BlockCapability> & {
  readonly Q: DenseMatrix;
  readonly B: DenseMatrix;
  readonly D: DenseMatrix;
} {
  assertInteger('randomTwoBlock', 'dimensionX', dimensionX, 1);
  assertInteger('randomTwoBlock', 'dimensionY', dimensionY, 1);
  assertPositive('randomTwoBlock', 'coupling', coupling, true);
  const nx = dimensionX;
  const ny = dimensionY;
  const Q = randomSpd(ny, 1, rng);
  const B: DenseMatrix = { rows: ny, cols: nx, data: rng.fillNormal(new Float64Array(ny * nx)) };
  const D: DenseMatrix = {
    rows: nx,
    cols: ny,
    data: rng.fillNormal(new Float64Array(nx * ny), 0, coupling),
  };
  const sx = new Float64Array(nx);
  const sy = new Float64Array(ny);
  const ty = new Float64Array(ny);
  const squared = new Float64Array(ny);
  const sech2 = (t: number) => {
    const c = Math.cosh(t);
    return 1 / (c * c);
  };
  return {
    dimensionX: nx,
    dimensionY: ny,
    Q,
    B,
    D,
    value(x, y) {
      gemv(Q, y, sy);
      for (let i = 0; i < nx; i++) sx[i] = Math.tanh(x[i]);
      gemv(B, sx, ty);
      let s = 0;
      for (let j = 0; j < ny; j++) s += 0.5 * y[j] * sy[j] - y[j] * ty[j];
      for (let i = 0; i < nx; i++) {
        s += 0.25 * x[i] ** 4;
        for (let j = 0; j < ny; j++) s += D.data[i * ny + j] * x[i] * y[j] * y[j];
      }
      return s;
    },
    gradX(x, y, out) {
      gemvTransposed(B, y, sx);
      for (let j = 0; j < ny; j++) squared[j] = y[j] * y[j];
      gemv(D, squared, out);
      for (let i = 0; i < nx; i++) out[i] += -sech2(x[i]) * sx[i] + x[i] ** 3;
      return out;
    },
    gradY(x, y, out) {
      for (let i = 0; i < nx; i++) sx[i] = Math.tanh(x[i]);
      gemv(B, sx, ty);
      gemvTransposed(D, x, sy);
      gemv(Q, y, out);
      for (let j = 0; j < ny; j++) out[j] += -ty[j] + 2 * y[j] * sy[j];
      return out;
    },
    hvpXX(x, y, u, out) {
      gemvTransposed(B, y, sx);
      for (let i = 0; i < nx; i++) {
        const s = sech2(x[i]);
        out[i] = (2 * s * Math.tanh(x[i]) * sx[i] + 3 * x[i] * x[i]) * u[i];
      }
      return out;
    },
    hvpYY(x, _y, v, out) {
      gemvTransposed(D, x, sy);
      gemv(Q, v, out);
      for (let j = 0; j < ny; j++) out[j] += 2 * sy[j] * v[j];
      return out;
    },
    crossHvpXY(x, y, v, out) {
      gemvTransposed(B, v, sx);
      for (let j = 0; j < ny; j++) ty[j] = 2 * y[j] * v[j];
      gemv(D, ty, out);
      for (let i = 0; i < nx; i++) out[i] -= sech2(x[i]) * sx[i];
      return out;
    },
    crossHvpYX(x, y, u, out) {
      for (let i = 0; i < nx; i++) sx[i] = sech2(x[i]) * u[i];
      gemv(B, sx, out);
      gemvTransposed(D, u, sy);
      for (let j = 0; j < ny; j++) out[j] = -out[j] + 2 * y[j] * sy[j];
      return out;
    },
  };
}

/**
 * A bilevel quadratic with a closed-form solution, the reference for hypergradient methods:
 *
 * upper f(x, y) = ½ ‖y − t‖² + (λ/2) ‖x‖²,  lower g(x, y) = ½ yᵀQy − yᵀBx  (Q SPD, ny x ny; B ny x nx),
 *
 * so y*(x) = Q⁻¹Bx and Φ(x) = f(x, y*(x)) has ∇Φ(x) = Bᵀ Q⁻¹ (y*(x) − t) + λ x (the implicit formula
 * ∇_x f − ∇²_xy g [∇²_yy g]⁻¹ ∇_y f with ∇²_xy g = −Bᵀ). `lowerSolution(x)` and `hypergradient(x)`
 * evaluate them by a Cholesky solve.
 */
export function randomBilevelQuadratic(
  dimensionX: number,
  dimensionY: number,
  rng: Rng,
  { lambda = 0.1 }: { lambda?: number } = {},
): BilevelProblem<BlockCapability, BlockCapability> & {
  readonly Q: DenseMatrix;
  readonly B: DenseMatrix;
  readonly target: Vec;
  readonly lambda: number;
  lowerSolution(x: Vec): Vec;
  hypergradient(x: Vec): Vec;
} {
  assertInteger('randomBilevelQuadratic', 'dimensionX', dimensionX, 1);
  assertInteger('randomBilevelQuadratic', 'dimensionY', dimensionY, 1);
  assertPositive('randomBilevelQuadratic', 'lambda', lambda, true);
  const nx = dimensionX;
  const ny = dimensionY;
  const Q = randomSpd(ny, 1, rng);
  const B: DenseMatrix = { rows: ny, cols: nx, data: rng.fillNormal(new Float64Array(ny * nx)) };
  const target = rng.fillNormal(new Float64Array(ny));
  const factor = cholesky(Q);
  if (!factor.ok) throw new Error('randomBilevelQuadratic: Q is SPD by construction');
  const sy = new Float64Array(ny);
  const upper: TwoBlockFunction<BlockCapability> = {
    dimensionX: nx,
    dimensionY: ny,
    value(x, y) {
      let s = 0;
      for (let j = 0; j < ny; j++) s += 0.5 * (y[j] - target[j]) ** 2;
      for (let i = 0; i < nx; i++) s += 0.5 * lambda * x[i] * x[i];
      return s;
    },
    gradX: (x, _y, out) => {
      for (let i = 0; i < nx; i++) out[i] = lambda * x[i];
      return out;
    },
    gradY: (_x, y, out) => {
      for (let j = 0; j < ny; j++) out[j] = y[j] - target[j];
      return out;
    },
    hvpXX: (_x, _y, u, out) => {
      for (let i = 0; i < nx; i++) out[i] = lambda * u[i];
      return out;
    },
    hvpYY: (_x, _y, v, out) => {
      out.set(v.subarray(0, ny));
      return out;
    },
    crossHvpXY: (_x, _y, _v, out) => out.fill(0, 0, nx),
    crossHvpYX: (_x, _y, _u, out) => out.fill(0, 0, ny),
  };
  const lower: TwoBlockFunction<BlockCapability> = {
    dimensionX: nx,
    dimensionY: ny,
    value(x, y) {
      gemv(Q, y, sy);
      gemv(B, x, sy, -2, 1);
      let s = 0;
      for (let j = 0; j < ny; j++) s += 0.5 * y[j] * sy[j];
      return s;
    },
    gradX: (_x, y, out) => gemvTransposed(B, y, out, -1),
    gradY: (x, y, out) => {
      gemv(Q, y, out);
      return gemv(B, x, out, -1, 1);
    },
    hvpXX: (_x, _y, _u, out) => out.fill(0, 0, nx),
    hvpYY: (_x, _y, v, out) => gemv(Q, v, out),
    crossHvpXY: (_x, _y, v, out) => gemvTransposed(B, v, out, -1),
    crossHvpYX: (_x, _y, u, out) => gemv(B, u, out, -1),
  };
  const lowerSolution = (x: Vec): Vec => factor.solve(gemv(B, x, new Float64Array(ny)));
  return {
    dimensionX: nx,
    dimensionY: ny,
    upper,
    lower,
    Q,
    B,
    target,
    lambda,
    lowerSolution,
    hypergradient(x) {
      const y = lowerSolution(x);
      for (let j = 0; j < ny; j++) y[j] -= target[j];
      const out = gemvTransposed(B, factor.solve(y), new Float64Array(nx));
      for (let i = 0; i < nx; i++) out[i] += lambda * x[i];
      return out;
    },
  };
}
