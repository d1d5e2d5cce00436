import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createRng,
  csrToDense,
  PipelineError,
  parsePipelineText,
  runPipeline,
  validatePipeline,
} from '@argmin/core';
import { corePlugins, coreProblems } from '@argmin/core/plugins';
import { describe, expect, it } from 'vitest';
import {
  convectionDiffusionProblem,
  darcySequenceProblem,
  linsolveMetrics,
  linsolveProblems,
  linsolveStages,
  poissonProblem,
  variableCoefficientProblem,
} from './pipeline-problems';
import { linsolvePlugins } from './plugins';
import type { LinearSystem } from './problems/pde';

const registries = {
  methods: [...linsolvePlugins, ...corePlugins],
  problems: [...linsolveProblems, ...coreProblems],
  metrics: [...linsolveMetrics],
  bindings: [...linsolveStages],
};
const grab = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('linear-system pipeline problems', () => {
  it('poisson: the CSR and matrix-free forms apply the same SPD matrix', () => {
    const csr = poissonProblem.create({ gridSize: 5, matrixFree: false }, createRng(0))
      .problem as LinearSystem;
    const free = poissonProblem.create({ gridSize: 5, matrixFree: true }, createRng(0))
      .problem as LinearSystem;
    const x = createRng(1).fillNormal(new Float64Array(25));
    const a = csr.operator.apply(x, new Float64Array(25));
    const b = free.operator.apply(x, new Float64Array(25));
    for (let i = 0; i < 25; i++) expect(a[i]).toBeCloseTo(b[i], 13);
    expect(csr.operator.traits?.positiveDefinite).toBe(true);
  });
  it('convection-diffusion: diffusion part symmetric, convection part antisymmetric (central differences)', () => {
    const s = 4;
    const A = csrToDense(
      (
        convectionDiffusionProblem.create({ gridSize: s, diffusion: 1, windX: 20, windY: 10 }, createRng(0))
          .problem as LinearSystem
      ).matrix,
    );
    const n = s * s;
    const h = 1 / (s + 1);
    for (let p = 0; p < n; p++) {
      expect(A.data[p * n + p]).toBe(4);
      for (let q = 0; q < n; q++) {
        if (p === q) continue;
        const sym = (A.data[p * n + q] + A.data[q * n + p]) / 2;
        const anti = (A.data[p * n + q] - A.data[q * n + p]) / 2;
        if (A.data[p * n + q] === 0) continue;
        expect(sym).toBeCloseTo(-1, 14);
        // east/west neighbours carry ±h·wx/2, north/south ±h·wy/2
        expect(Math.abs(anti)).toBeCloseTo(Math.abs(q - p) === 1 ? (h * 20) / 2 : (h * 10) / 2, 14);
      }
    }
  });
  it('variable coefficient and Darcy sequence: seeded, reproducible, one parameter field per system', () => {
    const one = variableCoefficientProblem.create({ gridSize: 6, alpha: 2.5, tau: 7 }, createRng(5))
      .problem as LinearSystem;
    const again = variableCoefficientProblem.create({ gridSize: 6, alpha: 2.5, tau: 7 }, createRng(5))
      .problem as LinearSystem;
    expect(Array.from(one.parameters)).toEqual(Array.from(again.parameters));
    expect(Math.min(...one.parameters)).toBeGreaterThan(0); // K = exp(GRF) > 0
    const sequence = darcySequenceProblem.create({ count: 3, gridSize: 6, alpha: 2.5, tau: 7 }, createRng(5))
      .problem as {
      systems: LinearSystem[];
    };
    expect(sequence.systems).toHaveLength(3);
    expect(Array.from(sequence.systems[1].parameters)).not.toEqual(
      Array.from(sequence.systems[0].parameters),
    );
  });
});

describe('linear-system pipelines', () => {
  it('CG, GMRES and BiCGStab on Poisson and GCRO-DR on convection-diffusion meet their tolerance in true residual', () => {
    for (const [problem, method, options] of [
      ['linsolve/poisson', 'linsolve/cg', {}],
      ['linsolve/poisson', 'linsolve/minres', {}],
      ['linsolve/convection-diffusion', 'linsolve/gmres', { restart: 30 }],
      ['linsolve/convection-diffusion', 'linsolve/bicgstab', {}],
      ['linsolve/convection-diffusion', 'linsolve/gcro-dr', { restart: 20, recycle: 5 }],
      ['linsolve/variable-coefficient', 'linsolve/gcrot', {}],
    ] as const) {
      const result = runPipeline(
        validatePipeline(
          {
            problem: { id: problem, options: { gridSize: 10 } },
            stages: [
              { name: 'solve', method, options: { ...options, rtol: 1e-8 } },
              { name: 'check', metric: 'linsolve/true-residual' },
            ],
          },
          registries,
        ),
      );
      expect(result.status, `${method} on ${problem}`).toBe('converged');
      // scipy semantics: converged means ||b - A x|| <= rtol ||b||, checked here against the CSR matrix
      expect(result.metrics['check.relativeResidual'], method).toBeLessThanOrEqual(1e-8 * (1 + 1e-6));
    }
  });
  it('SKR over a Darcy sequence: every system solved, true residuals under rtol, the trace has one row per system', () => {
    const result = runPipeline(
      validatePipeline(
        {
          problem: { id: 'linsolve/darcy-sequence', options: { count: 5, gridSize: 10 } },
          stages: [
            {
              name: 'skr',
              method: 'linsolve/skr',
              options: { rtol: 1e-8, restart: 20, recycleDimension: 5 },
            },
            { metric: 'linsolve/true-residual' },
          ],
        },
        registries,
      ),
    );
    expect(result.status).toBe('converged');
    const record = result.records[0];
    expect(record.gives).toBe('sequence-solution');
    expect(record.result?.trace.iteration).toEqual([0, 1, 2, 3, 4]);
    expect(record.result?.trace.metrics.matvecs.reduce((a, b) => a + b, 0)).toBe(record.summary.matvecs);
    expect(result.metrics['1:linsolve/true-residual.maxRelativeResidual']).toBeLessThanOrEqual(
      1e-8 * (1 + 1e-6),
    );
  });
  it('refuses CG on Rosenbrock and SKR on a single system, naming the stage and both kinds', () => {
    const cg = grab(() =>
      validatePipeline(
        { problem: { id: 'core/rosenbrock' }, stages: [{ name: 'solve', method: 'linsolve/cg' }] },
        registries,
      ),
    );
    expect(PipelineError.isInstance(cg)).toBe(true);
    expect(cg.message).toContain(
      'stages[0] ("solve"): linsolve/cg takes a linear-system, but problem core/rosenbrock gives an oracle',
    );
    expect(
      grab(() =>
        validatePipeline(
          { problem: { id: 'linsolve/poisson' }, stages: [{ method: 'linsolve/skr' }] },
          registries,
        ),
      ).message,
    ).toContain(
      'linsolve/skr takes a linear-system-sequence, but problem linsolve/poisson gives a linear-system',
    );
  });
  it('runs the shipped example examples/pipelines/skr-darcy.yaml (at a reduced size)', () => {
    const text = readFileSync(resolve(__dirname, '../../../examples/pipelines/skr-darcy.yaml'), 'utf8');
    const pipeline = parsePipelineText(text) as { problem: { options: Record<string, number> } };
    pipeline.problem.options.count = 4;
    pipeline.problem.options.gridSize = 10;
    const result = runPipeline(validatePipeline(pipeline, registries));
    expect(result.status).toBe('converged');
    expect(result.metrics['skr-residual.maxRelativeResidual']).toBeLessThanOrEqual(1e-8 * (1 + 1e-6));
    expect(result.metrics['baseline-residual.maxRelativeResidual']).toBeLessThanOrEqual(1e-8 * (1 + 1e-6));
  });
});
