import { describe, expect, it } from 'vitest';
import { checkCrossHvp, checkGradient, checkHvp } from '../oracles/check';
import { fixX, fixY } from '../oracles/derivatives';
import { createRng, type Rng } from '../rng/rng';
import type { BlockCapability, BlockMethods, TwoBlockFunction } from '../spec/derivatives';
import type { Vec } from '../spec/vec';

export interface TwoBlockConformanceOptions {
  /** Seed of the Rng that draws points and directions (default 42). */
  readonly seed?: number;
  /** Random (x, y, u, v) quadruples per check (default 5). */
  readonly points?: number;
  /** Entries drawn uniformly from [−scale, scale] (default 1). */
  readonly scale?: number;
  /** Tolerance of the five-point checks (default 1e-7, with floor 1e-4; see `CheckOptions`). */
  readonly tolerance?: number;
  readonly floor?: number;
}

/** One named check of the two-block contract; `run` throws an Error naming the first violation. */
export interface TwoBlockCheck {
  readonly name: string;
  /** The capabilities the check needs; it is skipped when the function lacks one. */
  readonly needs: readonly BlockCapability[];
  run(g: TwoBlockFunction<never>, options?: TwoBlockConformanceOptions): void;
}

interface Point {
  readonly x: Vec;
  readonly y: Vec;
  readonly u: Vec;
  readonly v: Vec;
}

function points(g: TwoBlockFunction<never>, options: TwoBlockConformanceOptions): Point[] {
  const { seed = 42, points: count = 5, scale = 1 } = options;
  const rng: Rng = createRng(seed);
  const draw = (n: number) => rng.fillUniform(new Float64Array(n), -scale, scale);
  return Array.from({ length: count }, () => ({
    x: draw(g.dimensionX),
    y: draw(g.dimensionY),
    u: draw(g.dimensionX),
    v: draw(g.dimensionY),
  }));
}

function methods(g: TwoBlockFunction<never>): BlockMethods {
  return g as unknown as BlockMethods;
}

function optional(g: TwoBlockFunction<never>): Partial<BlockMethods> {
  return g as unknown as Partial<BlockMethods>;
}

function fail(message: string): never {
  throw new Error(message);
}

function verdict(label: string, check: { ok: boolean; maxRelativeError: number; worstIndex: number }): void {
  if (!check.ok)
    fail(
      `${label}: relative error ${check.maxRelativeError.toExponential(3)} against five-point finite differences at index ${check.worstIndex}`,
    );
}

/**
 * The checks of the two-block contract (`TwoBlockFunction` in `@argmin/core`), runnable alone (plain
 * Errors) or as a suite through `describeTwoBlockConformance`.
 */
export const twoBlockChecks: readonly TwoBlockCheck[] = [
  {
    name: 'gradX and hvpXX match five-point differences in x (through fixY)',
    needs: ['value', 'gradX'],
    run(g, options = {}) {
      const { tolerance = 1e-7, floor = 1e-4 } = options;
      const m = optional(g);
      for (const { x, y, u } of points(g, options)) {
        const inX = fixY(g as TwoBlockFunction<'value' | 'gradX' | 'hvpXX'>, y);
        verdict('gradX', checkGradient(inX, x, { stencil: 'five-point', tolerance, floor }));
        if (m.hvpXX) verdict('hvpXX', checkHvp(inX, x, u, { stencil: 'five-point', tolerance, floor }));
      }
    },
  },
  {
    name: 'gradY and hvpYY match five-point differences in y (through fixX)',
    needs: ['value', 'gradY'],
    run(g, options = {}) {
      const { tolerance = 1e-7, floor = 1e-4 } = options;
      const m = optional(g);
      for (const { x, y, v } of points(g, options)) {
        const inY = fixX(g as TwoBlockFunction<'value' | 'gradY' | 'hvpYY'>, x);
        verdict('gradY', checkGradient(inY, y, { stencil: 'five-point', tolerance, floor }));
        if (m.hvpYY) verdict('hvpYY', checkHvp(inY, y, v, { stencil: 'five-point', tolerance, floor }));
      }
    },
  },
  {
    name: 'crossHvpXY (∇²_xy g · v) matches five-point differences of gradX along y',
    needs: ['gradX', 'crossHvpXY'],
    run(g, options = {}) {
      const { tolerance = 1e-7, floor = 1e-4 } = options;
      for (const { x, y, v } of points(g, options))
        verdict('crossHvpXY', checkCrossHvp(g, x, y, v, { tolerance, floor }));
    },
  },
  {
    name: 'crossHvpYX (∇²_yx g · u) matches five-point differences of gradY along x',
    needs: ['gradY', 'crossHvpYX'],
    run(g, options = {}) {
      const { tolerance = 1e-7, floor = 1e-4 } = options;
      for (const { x, y, u } of points(g, options))
        verdict('crossHvpYX', checkCrossHvp(g, x, y, u, { block: 'yx', tolerance, floor }));
    },
  },
  {
    name: 'crossHvpYX is the transpose of crossHvpXY: ⟨∇²_xy g · v, u⟩ = ⟨v, ∇²_yx g · u⟩',
    needs: ['crossHvpXY', 'crossHvpYX'],
    run(g, options = {}) {
      const m = methods(g);
      for (const { x, y, u, v } of points(g, options)) {
        const a = m.crossHvpXY(x, y, v, new Float64Array(g.dimensionX));
        const b = m.crossHvpYX(x, y, u, new Float64Array(g.dimensionY));
        let left = 0;
        let right = 0;
        let scale = 0;
        for (let i = 0; i < g.dimensionX; i++) {
          left += a[i] * u[i];
          scale += Math.abs(a[i] * u[i]);
        }
        for (let j = 0; j < g.dimensionY; j++) {
          right += v[j] * b[j];
          scale += Math.abs(v[j] * b[j]);
        }
        if (!(Math.abs(left - right) <= 1e-12 * Math.max(1, scale)))
          fail(`⟨∇²_xy g · v, u⟩ = ${left} but ⟨v, ∇²_yx g · u⟩ = ${right}`);
      }
    },
  },
  {
    name: 'every product writes every entry of out, returns out, and mutates no input',
    needs: [],
    run(g, options = {}) {
      const m = optional(g);
      const nx = g.dimensionX;
      const ny = g.dimensionY;
      for (const { x, y, u, v } of points(g, options)) {
        const before = [x, y, u, v].map((a) => a.slice());
        const calls: [string, number, (out: Vec) => Vec | undefined][] = [
          ['gradX', nx, (out) => m.gradX?.(x, y, out)],
          ['gradY', ny, (out) => m.gradY?.(x, y, out)],
          ['hvpXX', nx, (out) => m.hvpXX?.(x, y, u, out)],
          ['hvpYY', ny, (out) => m.hvpYY?.(x, y, v, out)],
          ['crossHvpXY', nx, (out) => m.crossHvpXY?.(x, y, v, out)],
          ['crossHvpYX', ny, (out) => m.crossHvpYX?.(x, y, u, out)],
        ];
        if (m.value && !Number.isFinite(m.value(x, y)))
          fail(`value is not finite at a finite point: ${m.value(x, y)}`);
        for (const [name, length, call] of calls) {
          const out = new Float64Array(length).fill(Number.NaN);
          const returned = call(out);
          if (returned === undefined) continue;
          if (returned !== out) fail(`${name} must return its \`out\` argument`);
          for (let i = 0; i < length; i++)
            if (!Number.isFinite(out[i]))
              fail(`${name} left out[${i}] = ${out[i]} (it must write every entry)`);
        }
        ['x', 'y', 'u', 'v'].forEach((label, k) => {
          const now = [x, y, u, v][k];
          for (let i = 0; i < now.length; i++)
            if (!Object.is(now[i], before[k][i])) fail(`${label}[${i}] was mutated`);
        });
      }
    },
  },
];

/**
 * The two-block contract as a vitest suite, for any `TwoBlockFunction` g(x, y) (a bilevel level, a
 * saddle objective): gradients and HVPs in each block and both cross products against five-point
 * finite differences, ∇²_yx g = (∇²_xy g)ᵀ, `out` written and returned, inputs not mutated. Checks
 * whose capabilities g lacks are skipped. `make` is called per check.
 *
 * @example
 * describeTwoBlockConformance('lower level', () => problem.lower);
 */
export function describeTwoBlockConformance(
  name: string,
  make: () => TwoBlockFunction<never>,
  options: TwoBlockConformanceOptions = {},
): void {
  describe(`two-block conformance: ${name}`, () => {
    for (const check of twoBlockChecks) {
      it(check.name, (context) => {
        const g = make();
        const missing = check.needs.filter(
          (c) => typeof (g as unknown as Record<string, unknown>)[c] !== 'function',
        );
        if (missing.length > 0) {
          context.skip(`needs ${missing.join(', ')}`);
          return;
        }
        expect(() => check.run(g, options)).not.toThrow();
      });
    }
  });
}
