import {
  type CsrMatrix,
  csrOperator,
  InvalidArgumentError,
  type Operator,
  type Rng,
  type Vec,
} from '@argmin/core';
import { checkGrid, fivePointCsr, fivePointOperator } from './grid';
import { gaussianRandomField, sampleBeta } from './random-field';

/** One linear system of a parametric family: the matrix, a matrix-free operator, the rhs and the parameters that generated it. */
export interface LinearSystem {
  readonly matrix: CsrMatrix;
  /** The same map, matrix-free (stencil) where one exists, else the CSR operator. */
  readonly operator: Operator;
  readonly rhs: Vec;
  /** The parameter field (e.g. the permeability K on the grid); SKR sorts systems by these. */
  readonly parameters: Vec;
  /** Grid shape of `parameters` when it is a field ([rows, cols]). */
  readonly shape?: readonly [number, number];
  /** A scalar context (diagonal shift c, diffusivity κ) for contextual bandits. */
  readonly context?: number;
}

/**
 * 2-D Poisson −Δu = f on the unit square, five-point finite differences on an nx-by-ny interior grid
 * (Dirichlet 0): the matrix with 4 on the diagonal and −1 at the neighbours (scipy's
 * `-laplacian` stencil times h², SPD). `rhs` is h²·1 (f = 1).
 */
export function poisson2d(nx: number, ny: number = nx): LinearSystem {
  checkGrid('linsolve/poisson2d', nx, ny);
  const n = nx * ny;
  const matrix = fivePointCsr(nx, ny, new Float64Array(n).fill(4), 1);
  const h = 1 / (Math.max(nx, ny) + 1);
  return {
    matrix,
    operator: poisson2dStencil(nx, ny),
    rhs: new Float64Array(n).fill(h * h),
    parameters: new Float64Array(0),
  };
}

/** The matrix-free 2-D Poisson operator (4 on the diagonal, −1 at the four neighbours). */
export function poisson2dStencil(nx: number, ny: number = nx): Operator {
  checkGrid('linsolve/poisson2dStencil', nx, ny);
  const op = fivePointOperator(nx, ny, 4, 1, true);
  return { ...op, traits: { symmetric: true, positiveDefinite: true } };
}

/** Options of the Darcy / Helmholtz generators. */
export interface DarcyOptions {
  /** Interior grid points per side (n = gridSize²). */
  readonly gridSize: number;
  /** GRF smoothness α (SKR: 2.5). */
  readonly alpha?: number;
  /** GRF inverse length scale τ (SKR: 7). */
  readonly tau?: number;
  /** Frequencies per axis kept in the GRF (default 16). */
  readonly modes?: number;
}

function darcyFromField(s: number, field: Vec, shift: number): LinearSystem {
  const n = s * s;
  const K = new Float64Array(n);
  for (let p = 0; p < n; p++) K[p] = Math.exp(field[p]);
  const center = new Float64Array(n);
  for (let p = 0; p < n; p++) center[p] = 4 * K[p] - shift;
  const matrix = fivePointCsr(s, s, center, K);
  const h = 1 / (s + 1);
  return {
    matrix,
    operator: fivePointOperator(s, s, center, K, false),
    rhs: new Float64Array(n).fill(h * h),
    parameters: K,
    shape: [s, s],
  };
}

/**
 * Darcy flow −∇·(K∇h) = 1 with K = exp(GRF(α, τ)) drawn from the seeded Rng, discretized as in
 * SKR's `build_darcy`: the row of node p has 4K_p on the diagonal and −K_q at each neighbour q
 * (non-symmetric). `parameters` is K.
 */
export function darcySystem(rng: Rng, options: DarcyOptions): LinearSystem {
  checkDarcy('linsolve/darcySystem', options);
  const { gridSize: s, alpha = 2.5, tau = 7, modes = 16 } = options;
  return darcyFromField(s, gaussianRandomField(s, rng, { alpha, tau, modes }), 0);
}

/**
 * Helmholtz ∇²u + k²u = 0 as SKR builds it: the Darcy operator with diagonal 4K − h²k², k ~ U(0, 1),
 * K = exp(GRF). `parameters` is K followed by k; `context` is k.
 */
export function helmholtzSystem(rng: Rng, options: DarcyOptions): LinearSystem {
  checkDarcy('linsolve/helmholtzSystem', options);
  const { gridSize: s, alpha = 2.5, tau = 7, modes = 16 } = options;
  const field = gaussianRandomField(s, rng, { alpha, tau, modes });
  const k = rng.uniform();
  const h = 1 / (s + 1);
  const system = darcyFromField(s, field, h * h * k * k);
  const parameters = new Float64Array(s * s + 1);
  parameters.set(system.parameters);
  parameters[s * s] = k;
  return { ...system, parameters, context: k };
}

function checkCount(where: string, count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new InvalidArgumentError({
      argument: 'count',
      value: count,
      message: `${where}: \`count\` must be a positive integer; got ${count}.`,
    });
  }
}

/** Checks the Darcy/Helmholtz options (grid, GRF parameters) and that `count` systems fit the budget. */
function checkDarcy(where: string, options: DarcyOptions, count = 1): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError({
      argument: 'options',
      value: typeof options,
      message: `${where}: pass options with at least \`gridSize\`, e.g. { gridSize: 32 }.`,
    });
  }
  const { gridSize, alpha = 2.5, tau = 7, modes = 16 } = options;
  checkGrid(where, gridSize, gridSize, count);
  for (const [argument, value, ok] of [
    ['alpha', alpha, Number.isFinite(alpha) && alpha > 0],
    ['tau', tau, Number.isFinite(tau) && tau > 0],
    ['modes', modes, Number.isSafeInteger(modes) && modes >= 1],
  ] as const) {
    if (!ok) {
      throw new InvalidArgumentError({
        argument,
        value,
        message: `${where}: \`${argument}\` must be ${argument === 'modes' ? 'a positive integer (GRF frequencies per axis)' : 'a finite positive number (GRF parameter)'}; got ${value}.`,
      });
    }
  }
}

/** N Darcy systems with independent GRF permeabilities (SKR's data-generation sequence). */
export function darcySequence(rng: Rng, count: number, options: DarcyOptions): LinearSystem[] {
  checkCount('linsolve/darcySequence', count);
  checkDarcy('linsolve/darcySequence', options, count);
  return Array.from({ length: count }, () => darcySystem(rng, options));
}

/** N Helmholtz systems with independent K = exp(GRF) and wavenumbers k ~ U(0, 1). */
export function helmholtzSequence(rng: Rng, count: number, options: DarcyOptions): LinearSystem[] {
  checkCount('linsolve/helmholtzSequence', count);
  checkDarcy('linsolve/helmholtzSequence', options, count);
  return Array.from({ length: count }, () => helmholtzSystem(rng, options));
}

/** Options of the shifted-Laplacian sequence of Learning to Relax. */
export interface ShiftedLaplacianOptions {
  /** Interior grid points per side (reference: 10, so n = 100). */
  readonly gridSize?: number;
  /** 'high' (c = −0.15 + 0.6·Beta(0.5, 1.5)) or 'low' (c = −0.15 + 0.6·Beta(2, 6)) variance of the shift. */
  readonly variance?: 'high' | 'low';
}

/**
 * Learning to Relax's synthetic sequence: A_t = A + c_t I with A the five-point Laplacian
 * (`delsq(numgrid('S', gridSize + 2))`), c_t = −0.15 + 0.6·Beta(·, ·), and b_t ~ N(0, I) radially
 * truncated to ‖b‖ ≤ √n by rejection. `context` is c_t.
 */
export function shiftedLaplacianSequence(
  rng: Rng,
  count: number,
  { gridSize = 10, variance = 'high' }: ShiftedLaplacianOptions = {},
): LinearSystem[] {
  checkCount('linsolve/shiftedLaplacianSequence', count);
  checkGrid('linsolve/shiftedLaplacianSequence', gridSize, gridSize, count);
  if (variance !== 'high' && variance !== 'low') {
    throw new InvalidArgumentError({
      argument: 'variance',
      value: variance,
      message: `linsolve/shiftedLaplacianSequence: \`variance\` must be 'high' or 'low'; got ${String(variance)}.`,
    });
  }
  const n = gridSize * gridSize;
  const [a, b] = variance === 'high' ? [0.5, 1.5] : [2, 6];
  const systems: LinearSystem[] = [];
  for (let t = 0; t < count; t++) {
    const c = -0.15 + 0.6 * sampleBeta(rng, a, b);
    const rhs = new Float64Array(n);
    for (;;) {
      let norm2 = 0;
      for (let i = 0; i < n; i++) {
        rhs[i] = rng.normal();
        norm2 += rhs[i] * rhs[i];
      }
      if (norm2 <= n) break;
    }
    const matrix = fivePointCsr(gridSize, gridSize, new Float64Array(n).fill(4 + c), 1);
    systems.push({
      matrix,
      operator: csrOperator(matrix, { symmetric: true, positiveDefinite: true }),
      rhs,
      parameters: Float64Array.of(c),
      context: c,
    });
  }
  return systems;
}

/** Options of the 2-D heat equation of Learning to Relax (`utils/Heat2D.m`). */
export interface HeatEquationOptions {
  /** Grid intervals per side: n = (gridIntervals − 1)² unknowns (reference: 25·2^k). */
  readonly gridIntervals?: number;
  /** Time step (reference: 1e-3). */
  readonly timeStep?: number;
}

/** A time-stepping heat problem: `system(step, u)` is the Crank–Nicolson system for step → step+1. */
export interface HeatEquation {
  readonly size: number;
  readonly gridIntervals: number;
  readonly timeStep: number;
  /** u at t = 0: 1 inside a bump of radius 0.25 at the forcing's starting centre, 0 elsewhere. */
  initial(): Vec;
  /** κ(t) = max(0.1 sin 2πt, −10 sin 2πt) ∈ [0, 10]. */
  diffusivity(t: number): number;
  /** The Crank–Nicolson system A u⁺ = b for the step from t = step·dt; `context` is κ at the half step. */
  system(step: number, u: Vec): LinearSystem;
}

/**
 * u_t = κ(t)Δu + f on (0, 1)² with zero Dirichlet boundary, Crank–Nicolson:
 * A = I − (dt/2)κL, b = (I + (dt/2)κL)u + dt·f, L the five-point Laplacian / dx², κ taken at the
 * half step, f = 32 on a disc of radius 0.125 whose centre moves on the circle
 * (½ + cos(16πt)/4, ½ + sin(16πt)/4). A is SPD for every κ ≥ 0.
 */
export function heatEquation({
  gridIntervals = 25,
  timeStep = 1e-3,
}: HeatEquationOptions = {}): HeatEquation {
  checkGrid('linsolve/heatEquation', gridIntervals - 1, gridIntervals - 1);
  if (!(Number.isFinite(timeStep) && timeStep > 0)) {
    throw new InvalidArgumentError({
      argument: 'timeStep',
      value: timeStep,
      message: `linsolve/heatEquation: \`timeStep\` must be a finite positive number (reference: 1e-3); got ${timeStep}.`,
    });
  }
  const m = gridIntervals - 1;
  const n = m * m;
  const dx = 1 / gridIntervals;
  const diffusivity = (t: number): number =>
    Math.max(0.1 * Math.sin(2 * Math.PI * t), -10 * Math.sin(2 * Math.PI * t));
  const disc = (cx: number, cy: number, radius: number, value: number): Vec => {
    const out = new Float64Array(n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        const x = (i + 1) * dx;
        const y = (j + 1) * dx;
        if ((x - cx) ** 2 + (y - cy) ** 2 <= radius * radius) out[i * m + j] = value;
      }
    return out;
  };
  const centre = (t: number): [number, number] => [
    0.5 + Math.cos(16 * Math.PI * t) / 4,
    0.5 + Math.sin(16 * Math.PI * t) / 4,
  ];
  return {
    size: n,
    gridIntervals,
    timeStep,
    initial: () => {
      const [cx, cy] = centre(0);
      return disc(cx, cy, 0.25, 1);
    },
    diffusivity,
    system(step, u) {
      const t = step * timeStep;
      const kappa = diffusivity(t + timeStep / 2);
      const a = (timeStep * kappa) / (2 * dx * dx);
      const matrix = fivePointCsr(m, m, new Float64Array(n).fill(1 + 4 * a), a);
      const [cx, cy] = centre(t + timeStep / 2);
      const f = disc(cx, cy, 0.125, 32);
      // b = (I − a P) u + dt f, P the (4, −1) stencil
      const explicit = fivePointOperator(m, m, 1 - 4 * a, -a, true);
      const rhs = explicit.apply(u, new Float64Array(n));
      for (let p = 0; p < n; p++) rhs[p] += timeStep * f[p];
      return {
        matrix,
        operator: fivePointOperator(m, m, 1 + 4 * a, a, true),
        rhs,
        parameters: Float64Array.of(kappa),
        context: kappa,
      };
    },
  };
}
