import { describe, expect, it } from 'vitest';
import { lbfgs } from '../methods/lbfgs';
import { rosenbrock } from '../problems/rosenbrock';
import { traceOf } from '../solve/result';
import { solve } from '../solve/solve';
import { maxIterations } from '../solve/stop-when';
import { assertResultBase } from './result-base';

const valid = () => ({
  status: 'max-iterations',
  converged: false,
  iterations: 3,
  message: 'reached the iteration cap',
  warnings: [{ type: 'numerical', message: 'step clipped' }],
  trace: traceOf([0, 1, 3], { residualNorm: [1, 0.5, 0.1] }, [0, 1, 2]),
});

describe('assertResultBase: the ResultBase contract on any area’s result', () => {
  it('accepts a real solve result and a hand-built linear-solve-like result', () => {
    const result = solve(lbfgs(), rosenbrock(2), Float64Array.of(-1.2, 1), { stopWhen: maxIterations(5) });
    expect(assertResultBase(result, { maxIterations: 5 })).toBe(result);
    expect(() => assertResultBase(valid())).not.toThrow();
  });
  const broken: [string, (r: ReturnType<typeof valid>) => unknown, RegExp][] = [
    ['an unknown status', (r) => ({ ...r, status: 'done' }), /status "done" is not one of converged/],
    [
      'converged disagreeing with status',
      (r) => ({ ...r, converged: true }),
      /converged is true but status is 'max-iterations'/,
    ],
    [
      'fractional iterations',
      (r) => ({ ...r, iterations: 2.5 }),
      /iterations must be a non-negative integer; got 2.5/,
    ],
    ['iterations over the cap', (r) => r, /iterations 3 exceeds the cap 2/],
    ['a missing message', (r) => ({ ...r, message: undefined }), /message must be a string/],
    [
      'an untyped warning',
      (r) => ({ ...r, warnings: ['careful'] }),
      /warnings\[0\] must be \{ type: string, message: string \}/,
    ],
    [
      'a trace column of the wrong length (the old linsolve shape)',
      (r) => ({ ...r, trace: { ...r.trace, metrics: { residualNorm: [1, 0.5] } } }),
      /trace.metrics.residualNorm must be 3 numbers/,
    ],
    [
      'trace columns outside metrics (the old per-area shape)',
      (r) => ({ ...r, trace: { iteration: [0, 1], residualNorm: [1, 0.5] } }),
      /trace.elapsedMs must be 2 numbers/,
    ],
    [
      'a decreasing trace.iteration',
      (r) => ({ ...r, trace: traceOf([0, 2, 1], { f: [1, 2, 3] }) }),
      /trace.iteration decreases at row 2/,
    ],
    [
      'a trace row past iterations',
      (r) => ({ ...r, trace: traceOf([0, 9], { f: [1, 2] }) }),
      /trace.iteration\[1\] = 9 is not an integer in \[0, iterations = 3\]/,
    ],
  ];
  for (const [name, mutate, message] of broken)
    it(`refuses ${name}`, () => {
      expect(() =>
        assertResultBase(mutate(valid()), { maxIterations: name.includes('cap') ? 2 : undefined }),
      ).toThrow(message);
    });
});
