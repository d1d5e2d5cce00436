import { defineExperiment, type Rng, verdictFrom } from '@argmin/core';
import { darcySequence, helmholtzSequence, type LinearSystem } from '../problems/pde';
import { solveSequence } from '../sequence/solve-sequence';

const paper = {
  title: 'Accelerating Data Generation for Neural Operators via Krylov Subspace Recycling',
  authors: 'H. Wang, Z. Hao, J. Wang, Z. Geng, Z. Wang, B. Li, F. Wu',
  year: 2024,
  arxiv: '2401.09516',
};

/**
 * SKR's headline: solving a sequence of related systems with sorting + Krylov recycling (GCRO-DR)
 * cuts iterations/time versus GMRES from scratch. Darcy and Helmholtz sequences (K = exp(GRF)),
 * GMRES(40) per system vs GCRO-DR(40, 20) with the recycle space carried, unsorted and greedy-sorted.
 */
export const skrSpeedupExperiment = defineExperiment({
  id: 'linsolve/skr-speedup',
  title: 'SKR: Krylov recycling over sorted sequences vs GMRES from scratch',
  paper,
  claim:
    'Sorting + recycling (GCRO-DR) solves a sequence of Darcy/Helmholtz systems with far fewer iterations than GMRES(40) from scratch (paper: up to 30x fewer iterations at n = 6400-10000, tol 1e-7/1e-8). Threshold here: recycling cuts total matvecs by at least 2x on every dataset; the sorting effect is reported as measured.',
  methods: ['linsolve/gmres', 'linsolve/gcro-dr', 'linsolve/skr', 'linsolve/gcrot'],
  run(context) {
    const full = context.size === 'full';
    const gridSize = full ? 64 : 40;
    const count = full ? 50 : 12;
    const rtol = 1e-8;
    const datasets: [string, (rng: Rng) => LinearSystem[]][] = [
      ['Darcy', (rng) => darcySequence(rng, count, { gridSize })],
      ['Helmholtz', (rng) => helmholtzSequence(rng, count, { gridSize })],
    ];
    const rows: Record<string, string | number>[] = [];
    const series: { name: string; plot: string; x: number[]; y: number[] }[] = [];
    const ratios: number[] = [];
    let step = 0;
    for (const [name, generate] of datasets) {
      const systems = generate(context.rng);
      const baseline = solveSequence(systems, { solver: 'gmres', rtol });
      context.progress(++step / 10, `${name}: GMRES(40)`);
      const unsorted = solveSequence(systems, { solver: 'gcro-dr', rtol });
      context.progress(++step / 10, `${name}: GCRO-DR unsorted`);
      const sorted = solveSequence(systems, { solver: 'gcro-dr', rtol, sort: 'greedy' });
      context.progress(++step / 10, `${name}: GCRO-DR sorted`);
      const fftSorted = solveSequence(systems, { solver: 'gcro-dr', rtol, sort: 'fft-gray' });
      context.progress(++step / 10, `${name}: GCRO-DR FFT/Gray-sorted`);
      // GCROT(40, 20) with U carried (scipy gcrotmk(CU, discard_C=True)), as the notes' probe; not in the verdict
      const gcrotFresh = solveSequence(systems, { solver: 'gcrot', rtol, sort: 'greedy', recycle: false });
      context.progress(++step / 10, `${name}: GCROT fresh`);
      const gcrotSorted = solveSequence(systems, { solver: 'gcrot', rtol, sort: 'greedy' });
      context.progress(++step / 10, `${name}: GCROT recycled, sorted`);
      const ratio = baseline.totals.matvecs / sorted.totals.matvecs;
      ratios.push(ratio);
      for (const [method, result] of [
        ['GMRES(40) from scratch', baseline],
        ['GCRO-DR(40,20) recycled, unsorted', unsorted],
        ['SKR: GCRO-DR(40,20) recycled, greedy-sorted', sorted],
        ['SKR: GCRO-DR(40,20) recycled, FFT/PCA/Gray-sorted', fftSorted],
        ['GCROT(40,20) per system, no recycling', gcrotFresh],
        ['GCROT(40,20) recycled (discard_C), greedy-sorted', gcrotSorted],
      ] as const) {
        rows.push({
          dataset: `${name} n=${gridSize * gridSize}, N=${count}`,
          method,
          'matvecs/system': Number((result.totals.matvecs / count).toFixed(1)),
          'ms/system': Number((result.totals.elapsedMs / count).toFixed(1)),
          converged: `${result.totals.converged}/${count}`,
          'matvec speed-up vs GMRES': Number((baseline.totals.matvecs / result.totals.matvecs).toFixed(2)),
          'time speed-up vs GMRES': Number((baseline.totals.elapsedMs / result.totals.elapsedMs).toFixed(2)),
        });
        series.push({
          name: `${name}: ${method}`,
          plot: 'matvecs',
          x: result.results.map((_, i) => i + 1),
          y: result.results.map((r) => r.matvecs),
        });
      }
    }
    const worst = Math.min(...ratios);
    return {
      rows,
      series,
      plots: {
        matvecs: {
          title: 'Matvecs per system along the sequence',
          xLabel: 'system (solve order)',
          yLabel: 'matvecs',
          logY: true,
        },
      },
      verdict: verdictFrom({
        value: worst,
        holds: worst >= 2,
        measured: `SKR matvec reduction vs GMRES(40): ${ratios.map((r, i) => `${datasets[i][0]} ${r.toFixed(2)}x`).join(', ')}`,
        threshold: '>= 2x fewer matvecs on every dataset',
        claim: 'recycling + sorting cuts the work of solving a sequence of systems',
      }),
      notes: [
        `Quick size: N = ${count} systems of n = ${gridSize * gridSize} per dataset (the paper: N = 100-1000, n = 6400-10000; run with size 'full' for N = 50, n = 4096). rtol = ${rtol}, no preconditioner.`,
        'Matvecs include the carry-over (k per system) and the true-residual checks. Wall time in JS is dominated by the dense harmonic-Ritz eigensolve at these sizes; matvecs are the faithful measure of the claim.',
        'The verdict uses the greedy sort (SKR Algorithm 1, nearest neighbour on K); the FFT/PCA/Gray-code sorter of the reference code is reported alongside.',
        'GCROT(40, 20) rows: scipy gcrotmk semantics (golden-tested), U carried between systems with C recomputed (discard_C); reported for comparison, not part of the verdict.',
      ],
    };
  },
});
