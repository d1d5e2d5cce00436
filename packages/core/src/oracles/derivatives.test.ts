import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transpose } from '../linalg/dense-matrix';
import { expectArgminError } from '../linalg/expect-argmin-error';
import { lu } from '../linalg/factorizations';
import { dot } from '../linalg/level1';
import { operatorToDense, operatorTransposeToDense } from '../operators/operators';
import { randomLeastSquares } from '../problems/least-squares';
import { randomBilevelQuadratic, randomTwoBlock } from '../problems/two-block';
import { createRng } from '../rng/rng';
import type { VectorMap } from '../spec/derivatives';
import type { Vec } from '../spec/vec';
import { expectAllClose } from '../testing/expect-all-close';
import { checkCrossHvp, checkGradient, checkHvp, checkJvp, checkVjp } from './check';
import { crossHvpOperator, fixX, fixY, hessianOperator, jacobianOperator } from './derivatives';

/**
 * F: R³ → R⁴, F(x) = (x0² x1, sin x1 + x2³, e^{x0} x2, x0 x1 x2), with
 * J = [[2x0x1, x0², 0], [0, cos x1, 3x2²], [e^{x0} x2, 0, e^{x0}], [x1x2, x0x2, x0x1]].
 */
const jacobian = (x: Vec): number[][] => [
  [2 * x[0] * x[1], x[0] ** 2, 0],
  [0, Math.cos(x[1]), 3 * x[2] ** 2],
  [Math.exp(x[0]) * x[2], 0, Math.exp(x[0])],
  [x[1] * x[2], x[0] * x[2], x[0] * x[1]],
];
const analyticMap: VectorMap<'jvp' | 'vjp'> = {
  inputDimension: 3,
  outputDimension: 4,
  evaluate: (x, out) => {
    out[0] = x[0] ** 2 * x[1];
    out[1] = Math.sin(x[1]) + x[2] ** 3;
    out[2] = Math.exp(x[0]) * x[2];
    out[3] = x[0] * x[1] * x[2];
    return out;
  },
  jvp: (x, v, out) => {
    const J = jacobian(x);
    for (let i = 0; i < 4; i++) out[i] = J[i][0] * v[0] + J[i][1] * v[1] + J[i][2] * v[2];
    return out;
  },
  vjp: (x, w, out) => {
    const J = jacobian(x);
    for (let j = 0; j < 3; j++) out[j] = J[0][j] * w[0] + J[1][j] * w[1] + J[2][j] * w[2] + J[3][j] * w[3];
    return out;
  },
};

const entries = (n: number, bound = 1.5) =>
  fc
    .array(fc.double({ min: -bound, max: bound, noNaN: true }), { minLength: n, maxLength: n })
    .map((v) => Float64Array.from(v));

describe('checkJvp and checkVjp: five-point finite differences of vector-valued maps (fast-check, seed 42)', () => {
  it('pass on the analytic map R³ → R⁴ to 1e-7', () => {
    fc.assert(
      fc.property(entries(3), entries(3), entries(4), (x, v, w) => {
        const jvp = checkJvp(analyticMap, x, v, { tolerance: 1e-7, floor: 1e-4 });
        expect(jvp.maxRelativeError, `jvp, worst index ${jvp.worstIndex}`).toBeLessThanOrEqual(1e-7);
        const vjp = checkVjp(analyticMap, x, w, { tolerance: 1e-7, floor: 1e-4 });
        expect(vjp.maxRelativeError, `vjp, worst index ${vjp.worstIndex}`).toBeLessThanOrEqual(1e-7);
      }),
      { seed: 42, numRuns: 40 },
    );
  });
  it('catch a JVP with one wrong Jacobian entry (∂F₂/∂x₂ written as e^{x0} x2)', () => {
    const wrong = {
      ...analyticMap,
      jvp: (x: Vec, v: Vec, out: Vec) => {
        analyticMap.jvp(x, v, out);
        out[2] += (Math.exp(x[0]) * x[2] - Math.exp(x[0])) * v[2];
        return out;
      },
    };
    const check = checkJvp(wrong, Float64Array.of(0.3, -0.7, 1.2), Float64Array.of(0.5, 1, -1));
    expect(check.ok).toBe(false);
    expect(check.worstIndex).toBe(2);
  });
  it('catch a VJP that applies J instead of Jᵀ (the transposition mistake) on a non-symmetric square map', () => {
    const A = { rows: 3, cols: 3, data: Float64Array.of(1, 2, 0, -1, 3, 4, 0.5, 0, 2) };
    const linear: VectorMap<'jvp' | 'vjp'> = {
      inputDimension: 3,
      outputDimension: 3,
      evaluate: (x, out) => jacobianOperator(linearJvpOnly(A), x).apply(x, out),
      jvp: (_x, v, out) => jacobianOperator(linearJvpOnly(A), v).apply(v, out),
      vjp: (_x, w, out) => jacobianOperator(linearJvpOnly(A), w).apply(w, out),
    };
    const check = checkVjp(linear, Float64Array.of(1, 2, 3), Float64Array.of(1, -1, 2));
    expect(check.ok).toBe(false);
  });
  it('refuse points and directions of the wrong length with a named error', () => {
    expectArgminError(
      () => checkJvp(analyticMap, Float64Array.of(1, 2), Float64Array.of(1, 2, 3)),
      'checkJvp: `x` must have length 3; got length 2.',
    );
    expectArgminError(
      () => checkVjp(analyticMap, Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3)),
      'checkVjp: `w` must have length 4; got length 3.',
    );
  });
});

/** F(x) = A x with only a JVP. */
function linearJvpOnly(A: { rows: number; cols: number; data: Float64Array }): VectorMap<'jvp'> {
  const apply = (v: Vec, out: Vec) => {
    for (let i = 0; i < A.rows; i++) {
      let s = 0;
      for (let j = 0; j < A.cols; j++) s += A.data[i * A.cols + j] * v[j];
      out[i] = s;
    }
    return out;
  };
  return {
    inputDimension: A.cols,
    outputDimension: A.rows,
    evaluate: (x, out) => apply(x, out),
    jvp: (_x, v, out) => apply(v, out),
  };
}

describe('jacobianOperator: the linearization as an Operator (apply = jvp, applyTranspose = vjp)', () => {
  it('its dense transpose equals the transpose of its dense matrix, and ⟨Jv, w⟩ = ⟨v, Jᵀw⟩', () => {
    fc.assert(
      fc.property(entries(3), entries(3), entries(4), (x, v, w) => {
        const J = jacobianOperator(analyticMap, x);
        expect([J.rows, J.cols]).toEqual([4, 3]);
        expect(
          () =>
            expectAllClose(operatorTransposeToDense(J).data, transpose(operatorToDense(J)).data, {
              relative: 1e-14,
              absolute: 1e-14,
            }),
          'vjp is the transpose of jvp',
        ).not.toThrow();
        const left = dot(J.apply(v, new Float64Array(4)), w);
        const right = dot(v, J.applyTranspose!(w, new Float64Array(3)));
        expect(Math.abs(left - right)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(left)));
      }),
      { seed: 42, numRuns: 30 },
    );
  });
  it('copies x (later changes to the caller’s buffer do not move the linearization point)', () => {
    const x = Float64Array.of(0.1, 0.2, 0.3);
    const J = jacobianOperator(analyticMap, x);
    const before = J.apply(Float64Array.of(1, 1, 1), new Float64Array(4)).slice();
    x.fill(5);
    expect(Array.from(J.apply(Float64Array.of(1, 1, 1), new Float64Array(4)))).toEqual(Array.from(before));
  });
  it('a map without vjp gives an operator without a transpose; a map without jvp is refused', () => {
    const J = jacobianOperator(linearJvpOnly({ rows: 1, cols: 2, data: Float64Array.of(1, 2) }), [0, 0]);
    expect(J.applyTranspose).toBeUndefined();
    expectArgminError(
      () =>
        jacobianOperator(
          { inputDimension: 1, outputDimension: 1, evaluate: (_x: Vec, out: Vec) => out } as never,
          [0],
        ),
      /jacobianOperator: `map` has no jvp/,
    );
  });
});

describe('two-block functions g(x, y): block derivatives and cross products (randomTwoBlock, fast-check, seed 42)', () => {
  const g = randomTwoBlock(3, 4, createRng(11), { coupling: 0.3 });
  it('∇_x g, ∇²_xx g (through fixY) and ∇_y g, ∇²_yy g (through fixX) match five-point differences to 1e-7', () => {
    fc.assert(
      fc.property(entries(3), entries(4), entries(3), entries(4), (x, y, u, v) => {
        const options = { stencil: 'five-point', tolerance: 1e-7, floor: 1e-4 } as const;
        for (const [label, check] of [
          ['gradX', checkGradient(fixY(g, y), x, options)],
          ['hvpXX', checkHvp(fixY(g, y), x, u, options)],
          ['gradY', checkGradient(fixX(g, x), y, options)],
          ['hvpYY', checkHvp(fixX(g, x), y, v, options)],
        ] as const)
          expect(check.maxRelativeError, `${label}, worst index ${check.worstIndex}`).toBeLessThanOrEqual(
            1e-8,
          );
      }),
      { seed: 42, numRuns: 25 },
    );
  });
  it('checkCrossHvp: ∇²_xy g · v and ∇²_yx g · u match five-point differences of the other block’s gradient to 1e-7', () => {
    fc.assert(
      fc.property(entries(3), entries(4), entries(3), entries(4), (x, y, u, v) => {
        const xy = checkCrossHvp(g, x, y, v, { tolerance: 1e-7, floor: 1e-4 });
        expect(xy.maxRelativeError, `xy, worst index ${xy.worstIndex}`).toBeLessThanOrEqual(1e-7);
        const yx = checkCrossHvp(g, x, y, u, { block: 'yx', tolerance: 1e-7, floor: 1e-4 });
        expect(yx.maxRelativeError, `yx, worst index ${yx.worstIndex}`).toBeLessThanOrEqual(1e-7);
      }),
      { seed: 42, numRuns: 25 },
    );
  });
  it('crossHvpOperator: crossHvpYX is the explicit transpose of crossHvpXY', () => {
    const x = Float64Array.of(0.4, -0.2, 1.1);
    const y = Float64Array.of(0.3, 0.9, -1.3, 0.5);
    const C = crossHvpOperator(g, x, y);
    expect([C.rows, C.cols]).toEqual([3, 4]);
    expect(() =>
      expectAllClose(operatorTransposeToDense(C).data, transpose(operatorToDense(C)).data, {
        relative: 1e-13,
        absolute: 1e-14,
      }),
    ).not.toThrow();
  });
  it('checkCrossHvp catches a cross product that drops the 2 D diag(y) term, in either block', () => {
    const x = Float64Array.of(0.4, -0.2, 1.1);
    const y = Float64Array.of(0.3, 0.9, -1.3, 0.5);
    const withoutCoupling = randomTwoBlock(3, 4, createRng(11), { coupling: 0 });
    const wrong = {
      ...g,
      crossHvpXY: withoutCoupling.crossHvpXY,
      crossHvpYX: withoutCoupling.crossHvpYX,
    };
    expect(checkCrossHvp(wrong, x, y, Float64Array.of(1, 0.5, -1, 2)).ok).toBe(false);
    expect(checkCrossHvp(wrong, x, y, Float64Array.of(1, -1, 0.5), { block: 'yx' }).ok).toBe(false);
  });
  it('checkCrossHvp catches a sign error in ∇²_xy g', () => {
    const wrong = {
      ...g,
      crossHvpXY: (x: Vec, y: Vec, v: Vec, out: Vec) => {
        g.crossHvpXY(x, y, v, out);
        for (let i = 0; i < out.length; i++) out[i] = -out[i];
        return out;
      },
    };
    expect(
      checkCrossHvp(
        wrong,
        Float64Array.of(0.1, 0.2, 0.3),
        Float64Array.of(1, 1, 1, 1),
        Float64Array.of(1, 0, 0, 1),
      ).ok,
    ).toBe(false);
  });
  it('checkCrossHvp names a missing capability and a direction of the wrong block’s length', () => {
    const { crossHvpYX: _, ...onlyXY } = g;
    expectArgminError(
      () =>
        checkCrossHvp(onlyXY, new Float64Array(3), new Float64Array(4), new Float64Array(3), { block: 'yx' }),
      /block "yx" needs g.crossHvpYX and g.gradY/,
    );
    expectArgminError(
      () => checkCrossHvp(g, new Float64Array(3), new Float64Array(4), new Float64Array(3)),
      'checkCrossHvp: `direction` must have length 4; got length 3.',
    );
  });
  it('fixX and fixY copy the fixed block and refuse one of the wrong length or with NaN', () => {
    const x = Float64Array.of(0.1, 0.2, 0.3);
    const inner = fixX(g, x);
    const y = Float64Array.of(1, 2, 3, 4);
    const before = inner.value(y);
    x[0] = 9;
    expect(inner.value(y)).toBe(before);
    expectArgminError(() => fixX(g, [1, 2]), 'fixX: `x` must have length 3; got length 2.');
    expectArgminError(() => fixY(g, [1, 2, Number.NaN, 4]), /fixY: `y` must be finite; got NaN at index 2/);
  });
});

describe('randomBilevelQuadratic: the contract composes into the implicit hypergradient', () => {
  const problem = randomBilevelQuadratic(3, 5, createRng(21), { lambda: 0.2 });
  const { upper, lower } = problem;
  it('the closed-form hypergradient matches five-point differences of Φ(x) = f(x, y*(x)) to 1e-7', () => {
    const phi = {
      value: (x: Vec) => upper.value(x, problem.lowerSolution(x)),
      grad: (x: Vec, out: Vec) => (out.set(problem.hypergradient(x)), out),
    };
    const check = checkGradient(phi, Float64Array.of(0.5, -1, 2), {
      stencil: 'five-point',
      tolerance: 1e-7,
      floor: 1e-4,
    });
    expect(check.maxRelativeError).toBeLessThanOrEqual(1e-7);
  });
  it('∇_x f − ∇²_xy g [∇²_yy g]⁻¹ ∇_y f, built from fixX, hessianOperator and crossHvpXY, equals it to 1e-12', () => {
    const x = Float64Array.of(0.5, -1, 2);
    const y = problem.lowerSolution(x);
    const H = lu(operatorToDense(hessianOperator(fixX(lower, x), y)));
    if (!H.ok) throw new Error('singular');
    const q = H.solve(upper.gradY(x, y, new Float64Array(5)));
    const cross = lower.crossHvpXY(x, y, q, new Float64Array(3));
    const implicit = upper.gradX(x, y, new Float64Array(3));
    for (let i = 0; i < 3; i++) implicit[i] -= cross[i];
    expect(() =>
      expectAllClose(implicit, problem.hypergradient(x), { relative: 1e-12, absolute: 1e-12 }),
    ).not.toThrow();
  });
  it('every block derivative of both levels passes its finite-difference check', () => {
    const x = Float64Array.of(0.3, 0.1, -0.4);
    const y = Float64Array.of(1, -1, 0.5, 0.2, 0.7);
    const u = Float64Array.of(1, 2, 3);
    const v = Float64Array.of(-1, 0.5, 2, 1, 0.1);
    const options = { stencil: 'five-point', tolerance: 1e-7, floor: 1e-4 } as const;
    for (const level of [upper, lower]) {
      expect(checkGradient(fixY(level, y), x, options).ok).toBe(true);
      expect(checkGradient(fixX(level, x), y, options).ok).toBe(true);
      expect(checkHvp(fixY(level, y), x, u, options).ok).toBe(true);
      expect(checkHvp(fixX(level, x), y, v, options).ok).toBe(true);
      expect(checkCrossHvp(level, x, y, v, options).ok).toBe(true);
      expect(checkCrossHvp(level, x, y, u, { ...options, block: 'yx' }).ok).toBe(true);
    }
  });
});

describe('leastSquares.residual: r(x) = Ax − b as a VectorMap', () => {
  const problem = randomLeastSquares(7, 3, 0.1, createRng(8));
  const x = Float64Array.of(0.2, -0.5, 1);
  it('jvp and vjp pass the five-point checks, and f = ‖r‖² / 2m', () => {
    expect(checkJvp(problem.residual, x, Float64Array.of(1, 2, -1)).ok).toBe(true);
    expect(checkVjp(problem.residual, x, Float64Array.of(1, 0, -1, 2, 0.5, 0, 1)).ok).toBe(true);
    const r = problem.residual.evaluate(x, new Float64Array(7));
    expect(problem.value(x)).toBeCloseTo(dot(r, r) / 14, 14);
  });
  it('jacobianOperator(residual, x) is A, with Aᵀ as its transpose', () => {
    const J = jacobianOperator(problem.residual, x);
    expect(Array.from(operatorToDense(J).data)).toEqual(Array.from(problem.matrix.data));
    expect(Array.from(operatorTransposeToDense(J).data)).toEqual(Array.from(transpose(problem.matrix).data));
  });
  it('refuses a point of the wrong length', () => {
    expectArgminError(
      () => problem.residual.jvp(new Float64Array(2), new Float64Array(3), new Float64Array(7)),
      "leastSquares.residual.jvp: `x` must have length 3 (the problem's dimension); got length 2.",
    );
  });
});
