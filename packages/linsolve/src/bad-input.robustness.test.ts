import {
  createRegistry,
  csrFromDense,
  fromRows,
  InvalidOptionsError,
  maxIterations,
  operatorFromFunction,
  solve,
} from '@argmin/core';
import {
  arrayMutationArbitrary,
  checkRobust,
  failureStatuses,
  invalidOptionsArbitrary,
  robustnessParameters,
} from '@argmin/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bicgstab } from './krylov/bicgstab';
import { cg } from './krylov/cg';
import { gmres } from './krylov/gmres';
import { minres } from './krylov/minres';
import { linsolvePlugins } from './plugins';
import { gcroDr } from './recycling/gcro-dr';
import { gcrot } from './recycling/gcrot';
import { jacobi, sor } from './stationary/stationary';

/**
 * Issue 13's shared bad-input properties (from @argmin/core/testing) at the linsolve boundary:
 * generated invalid options are InvalidOptionsErrors from every plugin and functional entry point;
 * NaN, ±Infinity and wrong-length right-hand sides and matrix data are named errors; an operator
 * that turns non-finite at a random product ends in a failure status with a finite x; inputs are
 * never mutated; nothing hangs.
 */

const A = fromRows([
  [4, 1, 0, 0],
  [1, 4, 1, 0],
  [0, 1, 4, 1],
  [0, 0, 1, 4],
]);
const csr = csrFromDense(A);
const b = Float64Array.of(1, 2, 3, 4);
const registry = createRegistry(linsolvePlugins);
const functions: Record<string, ((options: never) => unknown) | undefined> = {
  'linsolve/cg': (options) => cg(A, b, options),
  'linsolve/minres': (options) => minres(A, b, options),
  'linsolve/gmres': (options) => gmres(A, b, options),
  'linsolve/bicgstab': (options) => bicgstab(A, b, options),
  'linsolve/gcro-dr': (options) => gcroDr(A, b, options),
  'linsolve/gcrot': (options) => gcrot(A, b, options),
};

function expectNamed(
  outcome: ReturnType<typeof checkRobust>,
  context: string,
  type?: { isInstance(error: unknown): boolean },
): void {
  expect(outcome.kind, context).toBe('named-error');
  if (type && outcome.kind === 'named-error') expect(type.isInstance(outcome.error), context).toBe(true);
}

describe('linsolve: generated invalid options', () => {
  for (const plugin of linsolvePlugins) {
    it(`${plugin.meta.id}: the plugin (and its function) throw InvalidOptionsError`, () => {
      fc.assert(
        fc.property(invalidOptionsArbitrary(plugin.options), ({ options, why }) => {
          expectNamed(
            checkRobust(() => registry.create(plugin.meta.id, options as never)),
            `create: ${why}`,
            InvalidOptionsError,
          );
          const call = functions[plugin.meta.id];
          if (call)
            expectNamed(
              checkRobust(() => call(options as never), { inputs: [A, b] }),
              `function: ${why}`,
              InvalidOptionsError,
            );
        }),
        robustnessParameters(301, 50),
      );
    });
  }
});

const solvers: { name: string; run: (matrix: typeof A, rhs: Float64Array) => unknown }[] = [
  { name: 'cg', run: (m, r) => cg(m, r) },
  { name: 'minres', run: (m, r) => minres(m, r) },
  { name: 'gmres', run: (m, r) => gmres(m, r, { restart: 3 }) },
  { name: 'bicgstab', run: (m, r) => bicgstab(m, r) },
  { name: 'gcroDr', run: (m, r) => gcroDr(m, r, { restart: 3, recycle: 1 } as never) },
  { name: 'gcrot', run: (m, r) => gcrot(m, r) },
];

describe('linsolve: NaN, ±Infinity and wrong-length arrays', () => {
  it('every Krylov solver refuses a mutated right-hand side or matrix data by name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...solvers),
        fc.oneof(
          arrayMutationArbitrary(b).map((m) => ({ target: 'b', m })),
          arrayMutationArbitrary(A.data).map((m) => ({ target: 'A', m })),
        ),
        (solver, { target, m }) => {
          const matrix = target === 'A' ? { rows: 4, cols: 4, data: m.value } : A;
          const rhs = target === 'b' ? m.value : b;
          expectNamed(
            checkRobust(() => solver.run(matrix, rhs), { inputs: [matrix, rhs] }),
            `${solver.name} with ${target} ${m.why}`,
          );
        },
      ),
      robustnessParameters(302, 90),
    );
  });
  it('stationary methods refuse a mutated right-hand side or CSR values by name', () => {
    fc.assert(
      fc.property(
        fc.constantFrom({ name: 'jacobi', run: jacobi }, { name: 'sor', run: sor }),
        fc.oneof(
          arrayMutationArbitrary(b).map((m) => ({ target: 'b', m })),
          arrayMutationArbitrary(csr.values, { lengths: false }).map((m) => ({ target: 'values', m })),
        ),
        (method, { target, m }) => {
          const matrix = target === 'values' ? { ...csr, values: m.value } : csr;
          const rhs = target === 'b' ? m.value : b;
          expectNamed(
            checkRobust(() => method.run(matrix, rhs, { maxIterations: 50 }), { inputs: [matrix, rhs] }),
            `${method.name} with ${target} ${m.why}`,
          );
        },
      ),
      robustnessParameters(303, 60),
    );
  });
});

describe('linsolve: an operator that turns non-finite mid-solve', () => {
  it('every Krylov solver ends with finite x (a failure status once the products went bad)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...solvers),
        fc.nat(12),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
        (solver, after, bad) => {
          let products = 0;
          const operator = operatorFromFunction({
            rows: 4,
            cols: 4,
            apply: (x, out) => {
              for (let i = 0; i < 4; i++) {
                let s = 0;
                for (let j = 0; j < 4; j++) s += A.data[4 * i + j] * x[j];
                out[i] = ++products > after ? bad : s;
              }
              return out;
            },
            traits: { symmetric: true, positiveDefinite: true },
          });
          const outcome = checkRobust(() => solver.run(operator as never, b), { inputs: [b] });
          if (outcome.kind === 'result' && products > after) {
            expect(failureStatuses, `${solver.name}: products went ${bad} after ${after}`).toContain(
              outcome.status,
            );
          }
        },
      ),
      robustnessParameters(304, 80),
    );
  });
  it('the Krylov plugins as optimizers under solve', () => {
    const problem = {
      operator: operatorFromFunction({
        rows: 4,
        cols: 4,
        apply: (x, out) => {
          for (let i = 0; i < 4; i++) {
            let s = 0;
            for (let j = 0; j < 4; j++) s += A.data[4 * i + j] * x[j];
            out[i] = s;
          }
          return out;
        },
        traits: { symmetric: true, positiveDefinite: true },
      }),
      rhs: b,
    };
    fc.assert(
      fc.property(
        fc.constantFrom('linsolve/cg', 'linsolve/minres', 'linsolve/gmres', 'linsolve/bicgstab'),
        arrayMutationArbitrary(new Float64Array(4)),
        (id, m) => {
          const optimizer = registry.create(id as never, {} as never) as never;
          expectNamed(
            checkRobust(() => solve(optimizer, problem as never, m.value, { stopWhen: maxIterations(50) }), {
              inputs: [m.value, b],
            }),
            `${id} with x0 ${m.why}`,
          );
        },
      ),
      robustnessParameters(305, 40),
    );
  });
});
