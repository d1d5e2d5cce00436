// Issue 13 for linsolve, cause by cause: every bad input gets a named error, nothing hangs, and no
// non-finite result passes as a normal status.
import {
  ArgminError,
  type CsrMatrix,
  createRng,
  csrFromDense,
  denseMatrix,
  InvalidArgumentError,
  InvalidOptionsError,
  type Operator,
  ResourceLimitError,
  setResourceLimits,
  type Vec,
} from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chebCb } from './bandits/chebcb';
import { tsallisInf, tsallisInfContextual } from './bandits/tsallis-inf';
import { bicgstab } from './krylov/bicgstab';
import { cg } from './krylov/cg';
import { gmres } from './krylov/gmres';
import { minres } from './krylov/minres';
import { ic0Preconditioner, ssorPreconditioner } from './preconditioners/preconditioners';
import { fivePointCsr } from './problems/grid';
import { darcySequence, heatEquation, poisson2d, shiftedLaplacianSequence } from './problems/pde';
import { gaussianRandomField } from './problems/random-field';
import { gcroDr } from './recycling/gcro-dr';
import { gcrot } from './recycling/gcrot';
import { fftGraySort } from './sequence/fft-gray-sort';
import { solveSequence } from './sequence/solve-sequence';
import { sor } from './stationary/stationary';

const { matrix, rhs } = poisson2d(6); // n = 36, SPD
const n = rhs.length;

/** The operator of `matrix` that returns NaN from its `failAt`-th product on. */
function turnsNonFinite(failAt: number): Operator {
  let calls = 0;
  return {
    rows: n,
    cols: n,
    apply(x: Vec, out: Vec) {
      calls++;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = matrix.rowPointers[i]; k < matrix.rowPointers[i + 1]; k++)
          s += matrix.values[k] * x[matrix.columnIndices[k]];
        out[i] = calls >= failAt ? Number.NaN : s;
      }
      return out;
    },
  };
}

const finite = (v: Vec) => v.every((value) => Number.isFinite(value));

describe('cause 1: integer options that size a loop or a buffer are validated (nothing hangs)', () => {
  it('gcroDr with restart 0 (its cycle limit used to become Infinity) is an InvalidOptionsError', () => {
    expect(() => gcroDr(matrix, rhs, { restart: 0 })).toThrow(InvalidOptionsError);
    expect(() => gcroDr(matrix, rhs, { restart: 0 })).toThrow(/`restart`/);
  });
  it('restart NaN, negative or fractional is refused by every restarted solver', () => {
    for (const restart of [Number.NaN, -1, 2.5, Number.POSITIVE_INFINITY]) {
      expect(() => gmres(matrix, rhs, { restart })).toThrow(InvalidOptionsError);
      expect(() => gcroDr(matrix, rhs, { restart })).toThrow(InvalidOptionsError);
      expect(() => gcrot(matrix, rhs, { m: restart })).toThrow(InvalidOptionsError);
    }
  });
  it('recycle dimensions and iteration limits must be non-negative integers', () => {
    expect(() => gcroDr(matrix, rhs, { recycle: -1 })).toThrow(InvalidOptionsError);
    expect(() => gcrot(matrix, rhs, { k: 1.5 })).toThrow(InvalidOptionsError);
    for (const maxIterations of [Number.NaN, -1, 0.5, Number.POSITIVE_INFINITY]) {
      expect(() => cg(matrix, rhs, { maxIterations })).toThrow(InvalidOptionsError);
      expect(() => gcroDr(matrix, rhs, { maxIterations })).toThrow(InvalidOptionsError);
      expect(() => sor(matrix, rhs, { maxIterations })).toThrow(InvalidOptionsError);
    }
    expect(() =>
      solveSequence([{ matrix, operator: turnsNonFinite(1e9), rhs, parameters: rhs }], { restart: 0 }),
    ).toThrow(InvalidOptionsError);
  });
  it('learner and sorter sizes (bins, degree, PCA dimensions, frequencies) are validated', () => {
    expect(() => tsallisInfContextual({ contextRange: [0, 1], bins: 0 })).toThrow(InvalidOptionsError);
    expect(() => tsallisInfContextual({ contextRange: [0, 1], bins: 1e9 })).toThrow(ArgminError);
    expect(() => chebCb({ contextRange: [0, 1], degree: 0 })).toThrow(InvalidOptionsError);
    expect(() => chebCb({ contextRange: [0, 1], degree: 1e7 })).toThrow(ResourceLimitError);
    const fields = [new Float64Array(16), new Float64Array(16)];
    expect(() => fftGraySort(fields, [4, 4], { dimensions: 0 })).toThrow(InvalidArgumentError);
    expect(() => fftGraySort(fields, [4, 4], { frequencies: Number.NaN })).toThrow(InvalidArgumentError);
  });
  it('a property over generated bad integer options: always a named error, never a hang', () => {
    const badInteger = fc.oneof(
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0.5, 1e300),
      fc.integer({ min: -1000, max: -1 }),
      fc.double({ noInteger: true, noNaN: true }),
    );
    const cases = [
      (v: number) => gmres(matrix, rhs, { restart: v }),
      (v: number) => gmres(matrix, rhs, { maxIterations: v }),
      (v: number) => gcroDr(matrix, rhs, { restart: v }),
      (v: number) => gcroDr(matrix, rhs, { recycle: v }),
      (v: number) => gcrot(matrix, rhs, { m: v }),
      (v: number) => gcrot(matrix, rhs, { k: v }),
      (v: number) => bicgstab(matrix, rhs, { maxIterations: v }),
      (v: number) => minres(matrix, rhs, { maxIterations: v }),
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cases.length - 1 }), badInteger, (which, value) => {
        const started = performance.now();
        let caught: unknown;
        try {
          const result = cases[which](value);
          // 1e300 maxIterations is a valid (huge) limit for the schema only when it is an integer
          expect(result.converged).toBe(true);
        } catch (error) {
          caught = error;
        }
        expect(performance.now() - started).toBeLessThan(2000);
        if (caught !== undefined) expect(ArgminError.isInstance(caught)).toBe(true);
      }),
      { seed: 13, numRuns: 120 },
    );
  });
});

describe('cause 2: functional entry points validate with the strict plugin schema', () => {
  it('gmres(A, b, { maxiter: 5, tol: 1e-3 }) names both keys with scipy did-you-means', () => {
    let error: unknown;
    try {
      gmres(matrix, rhs, { maxiter: 5, tol: 1e-3 } as never);
    } catch (e) {
      error = e;
    }
    expect(InvalidOptionsError.isInstance(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/`maxiter`.*did you mean `maxIterations`/);
    expect(message).toMatch(/`tol`.*did you mean `rtol`/);
  });
  it('every solver and learner refuses unknown keys', () => {
    const unknown = { bogus: 1 } as never;
    const calls: (() => unknown)[] = [
      () => cg(matrix, rhs, unknown),
      () => minres(matrix, rhs, unknown),
      () => bicgstab(matrix, rhs, unknown),
      () => gcroDr(matrix, rhs, unknown),
      () => gcrot(matrix, rhs, unknown),
      () => sor(matrix, rhs, unknown),
      () => solveSequence([{ matrix, operator: turnsNonFinite(1e9), rhs, parameters: rhs }], unknown),
      () => tsallisInf(unknown),
      () => tsallisInfContextual({ contextRange: [0, 1], bogus: 1 } as never),
      () => chebCb({ contextRange: [0, 1], bogus: 1 } as never),
    ];
    for (const call of calls) expect(call).toThrow(/`bogus`: unknown option/);
  });
  it('wrongly typed values are named (rtol as a string, restart as a string, x0 as an array)', () => {
    expect(() => cg(matrix, rhs, { rtol: '1e-5' } as never)).toThrow(InvalidOptionsError);
    expect(() => gmres(matrix, rhs, { restart: '20' } as never)).toThrow(InvalidOptionsError);
    expect(() => cg(matrix, rhs, { x0: [0, 0] } as never)).toThrow(/`x0`/);
  });
});

describe('cause 3: unchecked arguments give named errors, not TypeError/RangeError', () => {
  it('a recycle space of the wrong shape', () => {
    const good = new Float64Array(n);
    good[0] = 1;
    expect(() => gcroDr(matrix, rhs, { recycleSpace: { U: [new Float64Array(3)], C: [] } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => gcroDr(matrix, rhs, { recycleSpace: { U: [good], C: [good, good] } })).toThrow(
      /U has 1 vectors but C has 2/,
    );
    expect(() => gcroDr(matrix, rhs, { recycleSpace: { U: 5, C: [] } as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() => gcrot(matrix, rhs, { recycleSpace: { U: [good], C: [new Float64Array(2)] } })).toThrow(
      /recycleSpace.C\[0\]/,
    );
    expect(() =>
      gcrot(matrix, rhs, { recycleSpace: { U: [Float64Array.from(good).fill(Number.NaN)], C: [] } }),
    ).toThrow(/finite/);
  });
  it('dense matrices whose data is shorter than rows x cols', () => {
    const short = { rows: 3, cols: 3, data: new Float64Array(4) };
    expect(() => cg(short, new Float64Array(3))).toThrow(/data has 4 entries; it needs rows \* cols = 9/);
    expect(() => gmres(short, new Float64Array(3))).toThrow(InvalidArgumentError);
  });
  it('malformed CSR matrices (short row pointers, column out of range, NaN values) and null', () => {
    const base = csrFromDense(denseMatrix(2, 2, Float64Array.of(2, 1, 1, 2)));
    const bad: CsrMatrix[] = [
      { ...base, rowPointers: Int32Array.of(0, 2) },
      { ...base, columnIndices: Int32Array.of(0, 5, 0, 1) },
      { ...base, values: Float64Array.of(2, Number.NaN, 1, 2) },
    ];
    for (const A of bad) {
      expect(() => cg(A, Float64Array.of(1, 1))).toThrow(InvalidArgumentError);
      expect(() => sor(A, Float64Array.of(1, 1))).toThrow(InvalidArgumentError);
      expect(() => ic0Preconditioner(A)).toThrow(InvalidArgumentError);
    }
    expect(() => cg(null as never, rhs)).toThrow(InvalidArgumentError);
    expect(() => ssorPreconditioner({} as never, 1)).toThrow(InvalidArgumentError);
    expect(() => solveSequence(5 as never)).toThrow(InvalidArgumentError);
  });
  it('bad generator arguments (NaN time step, zero modes, unknown variance, parameter fields of different lengths)', () => {
    expect(() => heatEquation({ timeStep: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => gaussianRandomField(8, createRng(0), { modes: 0 })).toThrow(InvalidArgumentError);
    expect(() => darcySequence(createRng(0), 2, { gridSize: 8, tau: -1 })).toThrow(InvalidArgumentError);
    expect(() => shiftedLaplacianSequence(createRng(0), 2, { variance: 'medium' as never })).toThrow(
      InvalidArgumentError,
    );
    const system = { matrix, operator: turnsNonFinite(1e9), rhs };
    expect(() =>
      solveSequence(
        [
          { ...system, parameters: new Float64Array(2) },
          { ...system, parameters: new Float64Array(3) },
        ],
        { sort: 'greedy' },
      ),
    ).toThrow(/systems\[1\]|same length/);
  });
});

describe('cause 4: non-finite results end in a failure status with the last finite x', () => {
  const solvers: [string, (A: Operator) => { status: string; x: Vec; residualNorm: number }][] = [
    ['cg', (A) => cg(A, rhs, { rtol: 1e-12 })],
    ['minres', (A) => minres(A, rhs, { rtol: 1e-12 })],
    ['bicgstab', (A) => bicgstab(A, rhs, { rtol: 1e-12 })],
    ['gmres', (A) => gmres(A, rhs, { rtol: 1e-12, restart: 3 })],
    ['gcroDr', (A) => gcroDr(A, rhs, { rtol: 1e-12, restart: 4, recycle: 2 })],
    ['gcrot', (A) => gcrot(A, rhs, { rtol: 1e-12, m: 3, k: 2 })],
  ];
  for (const [name, run] of solvers) {
    it(`${name}: an operator that turns NaN mid-run gives 'numerical-error' and a finite x`, () => {
      for (const failAt of [1, 3, 6]) {
        const result = run(turnsNonFinite(failAt));
        expect(result.status, `${name} failAt=${failAt}`).toBe('numerical-error');
        expect(finite(result.x), `${name} failAt=${failAt}`).toBe(true);
      }
    });
  }
  it('sor with a divergent relaxation returns status diverged and a finite x', () => {
    // omega close to 2 on an indefinite shift diverges
    const A = fivePointCsr(4, 4, new Float64Array(16).fill(1), 1);
    const result = sor(A, new Float64Array(16).fill(1), { omega: 1.9 });
    expect(result.status).toBe('diverged');
    expect(finite(result.x)).toBe(true);
  });
});

describe('maxIterations 0 takes no step and returns x0', () => {
  it('in every solver', () => {
    const x0 = new Float64Array(n).fill(0.5);
    for (const result of [
      cg(matrix, rhs, { maxIterations: 0, x0 }),
      gmres(matrix, rhs, { maxIterations: 0, x0 }),
      bicgstab(matrix, rhs, { maxIterations: 0, x0 }),
      minres(matrix, rhs, { maxIterations: 0, x0 }),
      gcroDr(matrix, rhs, { maxIterations: 0, x0 }),
      gcrot(matrix, rhs, { maxIterations: 0, x0 }),
      sor(matrix, rhs, { maxIterations: 0, x0 }),
    ]) {
      expect(result.status).toBe('max-iterations');
      expect(result.iterations).toBe(0);
      expect([...result.x]).toEqual([...x0]);
    }
  });
});

describe('cause 7: large generators and buffers are refused before allocating', () => {
  it('poisson2d(1e5), a 1e5 x 1e5 stencil and a huge Darcy sequence are ResourceLimitErrors', () => {
    const started = performance.now();
    expect(() => poisson2d(1e5)).toThrow(ResourceLimitError);
    expect(() => fivePointCsr(1e5, 1e5, new Float64Array(1), 1)).toThrow(ResourceLimitError);
    expect(() => darcySequence(createRng(0), 1e5, { gridSize: 500 })).toThrow(ResourceLimitError);
    expect(() => shiftedLaplacianSequence(createRng(0), 1e7, { gridSize: 100 })).toThrow(ResourceLimitError);
    expect(() => gaussianRandomField(1e6, createRng(0))).toThrow(ResourceLimitError);
    expect(performance.now() - started).toBeLessThan(1000);
  });
  it('Krylov bases respect the configurable budget (setResourceLimits)', () => {
    const previous = setResourceLimits({ maxBytes: 20 * n * 8 });
    try {
      expect(() => gmres(matrix, rhs, { restart: 30 })).toThrow(ResourceLimitError);
      expect(() => gcroDr(matrix, rhs, { restart: 30 })).toThrow(ResourceLimitError);
      expect(() => gcrot(matrix, rhs, { m: 30 })).toThrow(ResourceLimitError);
      expect(gmres(matrix, rhs, { restart: 5 }).converged).toBe(true);
    } finally {
      setResourceLimits(previous);
    }
  });
});
