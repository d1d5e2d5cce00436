// Issue 13's property suite for linsolve's public boundary (fast-check, fixed seeds): mutated array
// arguments give a named error; operators that turn non-finite at a random step give a failure status
// with finite arrays; nothing hangs; inputs are never mutated.
import { ArgminError, createRng, type Operator, spmv, type Vec } from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bicgstab } from './krylov/bicgstab';
import { cg } from './krylov/cg';
import { gmres } from './krylov/gmres';
import { minres } from './krylov/minres';
import { cgls } from './least-squares/cgls';
import { lsqr } from './least-squares/lsqr';
import { poisson2d } from './problems/pde';
import { gcroDr } from './recycling/gcro-dr';
import { gcrot } from './recycling/gcrot';
import { randomizedKaczmarz, sketchAndProject } from './sketching/sketching';
import { sor } from './stationary/stationary';

const { matrix, rhs } = poisson2d(5); // n = 25, SPD
const n = rhs.length;

type Run = (A: Operator, b: Vec, x0: Vec) => { status: string; x: Vec };
const solvers: [string, Run][] = [
  ['cg', (A, b, x0) => cg(A, b, { x0, rtol: 1e-12 })],
  ['minres', (A, b, x0) => minres(A, b, { x0, rtol: 1e-12 })],
  ['bicgstab', (A, b, x0) => bicgstab(A, b, { x0, rtol: 1e-12 })],
  ['gmres', (A, b, x0) => gmres(A, b, { x0, rtol: 1e-12, restart: 4 })],
  ['gcroDr', (A, b, x0) => gcroDr(A, b, { x0, rtol: 1e-12, restart: 5, recycle: 2 })],
  ['gcrot', (A, b, x0) => gcrot(A, b, { x0, rtol: 1e-12, m: 4, k: 2 })],
  ['lsqr', (A, b, x0) => lsqr(A, b, { x0, atol: 0, btol: 0 })],
  ['cgls', (A, b, x0) => cgls(A, b, { x0, rtol: 0 })],
];

/** `matrix` as an operator whose products turn into `poison` from the `failAt`-th on. */
function poisoned(failAt: number, poison: number, entry: number): Operator {
  let calls = 0;
  const apply = (x: Vec, out: Vec) => {
    calls++;
    spmv(matrix, x, out);
    if (calls >= failAt) out[entry % n] = poison;
    return out;
  };
  return { rows: n, cols: n, apply, applyAdjoint: apply };
}

const poisonValue = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

describe('properties at the public boundary', () => {
  it('an operator that turns non-finite at a random step: a failure status, a finite x, inputs untouched, no hang', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: solvers.length - 1 }),
        fc.integer({ min: 1, max: 12 }),
        poisonValue,
        fc.integer({ min: 0, max: n - 1 }),
        (which, failAt, poison, entry) => {
          const [name, run] = solvers[which];
          const b = rhs.slice();
          const x0 = new Float64Array(n).fill(0.25);
          const started = performance.now();
          const result = run(poisoned(failAt, poison, entry), b, x0);
          expect(performance.now() - started, name).toBeLessThan(2000);
          expect(result.x.every(Number.isFinite), `${name}: finite x`).toBe(true);
          // converging before the poison arrives is fine; otherwise the status must say it failed
          expect(['converged', 'numerical-error', 'diverged', 'stalled', 'max-iterations'], name).toContain(
            result.status,
          );
          if (result.status !== 'converged') expect(result.status, name).not.toBe('max-iterations');
          expect([...b], `${name}: b untouched`).toEqual([...rhs]);
          expect(
            x0.every((v) => v === 0.25),
            `${name}: x0 untouched`,
          ).toBe(true);
        },
      ),
      { seed: 1313, numRuns: 150 },
    );
  });
  it('NaN/Infinity/length mutations of b and x0 give a named error from every solver', () => {
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('value' as const),
        at: fc.integer({ min: 0, max: n - 1 }),
        value: poisonValue,
      }),
      fc.record({
        kind: fc.constant('length' as const),
        length: fc.integer({ min: 0, max: 2 * n }).filter((l) => l !== n),
      }),
    );
    const all: [string, (b: Vec, x0: Vec) => unknown][] = [
      ...solvers.map(([name, run]): [string, (b: Vec, x0: Vec) => unknown] => [
        name,
        (b, x0) =>
          run(
            {
              rows: n,
              cols: n,
              apply: (x, out) => spmv(matrix, x, out),
              applyAdjoint: (x, out) => spmv(matrix, x, out),
            },
            b,
            x0,
          ),
      ]),
      ['sor', (b, x0) => sor(matrix, b, { x0 })],
      ['randomizedKaczmarz', (b, x0) => randomizedKaczmarz(matrix, b, createRng(0), { x0 })],
      ['sketchAndProject', (b, x0) => sketchAndProject(matrix, b, createRng(0), { x0 })],
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.boolean(),
        mutation,
        (which, mutateB, change) => {
          const [name, run] = all[which];
          const mutate = (v: Vec): Vec => {
            if (change.kind === 'length') return new Float64Array(change.length).fill(1);
            const copy = v.slice();
            copy[change.at] = change.value;
            return copy;
          };
          const b = mutateB ? mutate(rhs) : rhs.slice();
          const x0 = mutateB ? new Float64Array(n) : mutate(new Float64Array(n));
          let caught: unknown;
          try {
            run(b, x0);
          } catch (error) {
            caught = error;
          }
          expect(ArgminError.isInstance(caught), `${name} (${mutateB ? 'b' : 'x0'} ${change.kind})`).toBe(
            true,
          );
        },
      ),
      { seed: 1314, numRuns: 150 },
    );
  });
});
