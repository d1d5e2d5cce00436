import { createRng, type DenseMatrix, defineExperiment, type Series, verdictFrom } from '@argmin/core';
import { euclideanCost, gridCost, squaredEuclideanCost } from '../cost';
import { monotonicNow } from '../internal/clock';
import type { OtResult } from '../result';
import { sinkhorn } from '../sinkhorn/sinkhorn';
import { type SnsResult, sns } from '../sns/sns';

const tolerance = 1e-9;
const iterationRatio = 10;
const massFraction = 0.99;
/**
 * The sparse regime, as a property of the problem: the entries holding 99% of the solution plan's
 * mass fit in `regimeEntriesPerRow`·n, the λ = 5/n at which SNS reproduces the paper's own Newton
 * counts on its Table 1 setting (20 + 7-9 steps at n = 500, η = 1200).
 */
const regimeEntriesPerRow = 5;

function normalized(weights: Float64Array): Float64Array {
  let total = 0;
  for (const w of weights) total += w;
  return weights.map((w) => w / total);
}
const gaussian1d = (n: number, mean: number, width: number) =>
  normalized(
    Float64Array.from({ length: n }, (_, i) => Math.exp(-0.5 * ((i / (n - 1) - mean) / width) ** 2) + 1e-3),
  );
const gaussian2d = (side: number, mx: number, my: number, width: number) =>
  normalized(
    Float64Array.from({ length: side * side }, (_, k) => {
      const x = Math.floor(k / side) / (side - 1);
      const y = (k % side) / (side - 1);
      return Math.exp(-0.5 * (((x - mx) / width) ** 2 + ((y - my) / width) ** 2)) + 1e-3;
    }),
  );

/** Fewest entries of the plan holding `fraction` of its mass (sorted descending). */
function entriesForMass(plan: DenseMatrix, fraction: number): number {
  const sorted = Float64Array.from(plan.data).sort().reverse();
  let total = 0;
  for (const p of sorted) total += p;
  let s = 0;
  for (let k = 0; k < sorted.length; k++) {
    s += sorted[k];
    if (s >= fraction * total) return k + 1;
  }
  return sorted.length;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface Case {
  name: string;
  a: Float64Array;
  b: Float64Array;
  cost: DenseMatrix;
  regularization: number;
  /** The paper's λ for this cost (2/n; 15/n for L1 costs), as a fraction of the entries of P. */
  density: number;
  /** The paper's N₁ (20; 700 for L1 costs). */
  warmup: number;
}

/**
 * SNS against Sinkhorn (Tang et al., ICLR 2024, Table 1): iterations and time to the same marginal
 * error ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ <= 1e-9 for both methods, on the paper's own setting (uniform random
 * assignment cost, n = 500, η = 1200 at full size) and on point clouds (W2, W1) and 1-D / 2-D densities.
 *
 * Fairness (issue 26): both methods stop on the same L1 test; the Sinkhorn cap is far above the
 * iterations the claim needs (a capped run gets no ratio); both methods are warmed up (JIT) on a small
 * problem first, then timed as the median of interleaved repeats (the order alternates); times are
 * time-to-tolerance (the call returns when the tolerance is met); the paper's N₁ = 700 for the W1
 * cost. Whether each problem lies in the paper's sparse regime is measured: the number of entries
 * of the solution plan that hold 99% of its mass, against the λ·n² entries SNS keeps.
 */
export const snsVsSinkhornExperiment = defineExperiment({
  id: 'ot/sns-vs-sinkhorn',
  title: 'Sinkhorn-Newton-Sparse needs orders of magnitude fewer iterations than Sinkhorn',
  paper: {
    title: 'Accelerating Sinkhorn Algorithm with Sparse Newton Iterations',
    authors: 'X. Tang et al.',
    year: 2024,
    arxiv: '2401.12253',
  },
  claim: `In the paper's sparse regime, SNS reaches marginal error ${tolerance} (L1, the same test for both) with at least ${iterationRatio}x fewer iterations than Sinkhorn and in less time, on the majority of problems.`,
  methods: ['ot/sns', 'ot/sinkhorn'],
  run(context) {
    const full = context.size === 'full';
    // Quick: a reduced size with ε 4x larger (the paper's regime scaled down so the test runs in seconds).
    const n = full ? 500 : 40;
    const side = full ? 22 : 6;
    const scale = full ? 1 : 4;
    const sinkhornCap = full ? 200_000 : 10_000;
    const maxRepeats = 3;
    const repeatBudgetMs = full ? 60_000 : 150;
    const rng = createRng(context.seed);
    const uniform = new Float64Array(n).fill(1 / n);
    const X: DenseMatrix = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
    const Y: DenseMatrix = { rows: n, cols: 2, data: rng.fillNormal(new Float64Array(2 * n)) };
    for (let i = 0; i < 2 * n; i += 2) Y.data[i] += 1;
    const eta = 1200 / scale;
    const cases: Case[] = [
      {
        name: `paper's setting: random assignment, n=${n}, η=${eta}`,
        a: uniform,
        b: uniform,
        cost: { rows: n, cols: n, data: rng.fillUniform(new Float64Array(n * n)) },
        regularization: 1 / eta,
        density: 2 / n,
        warmup: 20,
      },
      {
        name: `point clouds, W2 cost, n=${n}`,
        a: uniform,
        b: uniform,
        cost: squaredEuclideanCost(X, Y, { normalize: true }),
        regularization: 5e-4 * scale,
        density: 2 / n,
        warmup: 20,
      },
      {
        name: `point clouds, W1 cost, n=${n}`,
        a: uniform,
        b: uniform,
        cost: euclideanCost(X, Y, { normalize: true }),
        regularization: 2e-3 * scale,
        density: 15 / n,
        warmup: 700,
      },
      {
        name: `1-D densities, W2 cost, n=${n}`,
        a: gaussian1d(n, 0.3, 0.1),
        b: gaussian1d(n, 0.65, 0.15),
        cost: gridCost([n], { power: 2 }),
        regularization: 2e-4 * scale,
        density: 2 / n,
        warmup: 20,
      },
      {
        name: `2-D densities, W2 cost, ${side}x${side}`,
        a: gaussian2d(side, 0.3, 0.3, 0.2),
        b: gaussian2d(side, 0.7, 0.6, 0.25),
        cost: gridCost([side, side], { power: 2 }),
        regularization: 5e-4 * scale,
        density: 2 / (side * side),
        warmup: 20,
      },
    ];
    const runSns = (c: Case) =>
      sns(c.a, c.b, c.cost, {
        regularization: c.regularization,
        tolerance,
        marginalNorm: 'l1',
        density: c.density,
        sinkhornIterations: c.warmup,
      });
    const runSinkhorn = (c: Case, cap = sinkhornCap) =>
      sinkhorn(c.a, c.b, c.cost, {
        regularization: c.regularization,
        method: 'stabilized',
        maxIterations: cap,
        tolerance,
        marginalNorm: 'l1',
        checkEvery: 10,
      });
    // JIT warm-up of both methods on a small problem (untimed).
    {
      const w = new Float64Array(20).fill(1 / 20);
      const warmCase: Case = {
        name: 'warm-up',
        a: w,
        b: w,
        cost: { rows: 20, cols: 20, data: createRng(1).fillUniform(new Float64Array(400)) },
        regularization: 0.01,
        density: 0.25,
        warmup: 20,
      };
      runSns(warmCase);
      runSinkhorn(warmCase, 2000);
    }
    const rows = [];
    const series: Series[] = [];
    let inRegime = 0;
    let winsInRegime = 0;
    let winsOutside = 0;
    let paperHolds = false;
    for (const [index, c] of cases.entries()) {
      const snsTimes: number[] = [];
      const sinkhornTimes: number[] = [];
      let newton: SnsResult | undefined;
      let baseline: OtResult | undefined;
      let spent = 0;
      for (let r = 0; r < maxRepeats && (r === 0 || spent < repeatBudgetMs); r++) {
        // Interleaved, alternating which method goes first.
        for (const which of r % 2 === 0 ? ['sns', 'sinkhorn'] : ['sinkhorn', 'sns']) {
          const start = monotonicNow();
          if (which === 'sns') newton = runSns(c);
          else baseline = runSinkhorn(c);
          const elapsed = monotonicNow() - start;
          (which === 'sns' ? snsTimes : sinkhornTimes).push(elapsed);
          spent += elapsed;
        }
      }
      context.progress((index + 1) / cases.length, c.name);
      const s = newton as SnsResult;
      const k = baseline as OtResult;
      const snsMs = median(snsTimes);
      const sinkhornMs = median(sinkhornTimes);
      const snsIterations = s.sinkhornIterations + s.newtonIterations;
      // The sparse regime, measured: entries holding 99% of the solution's mass (from the converged
      // plan, or the one closer to feasibility) against 5n.
      const reference = k.converged || (!s.converged && k.marginalError <= s.marginalError) ? k : s;
      const needed = entriesForMass(reference.plan, massFraction);
      const kept = Math.ceil(c.density * c.cost.rows * c.cost.cols);
      const sparse = needed <= regimeEntriesPerRow * c.cost.rows;
      // What λ does the problem need? SNS again at λ = 5/n (untimed) where the paper's λ is smaller.
      const denser =
        c.density * c.cost.cols < regimeEntriesPerRow
          ? sns(c.a, c.b, c.cost, {
              regularization: c.regularization,
              tolerance,
              marginalNorm: 'l1',
              density: regimeEntriesPerRow / c.cost.cols,
              sinkhornIterations: c.warmup,
            })
          : undefined;
      const bothConverged = s.converged && k.converged;
      const ratio = bothConverged ? k.iterations / snsIterations : undefined;
      // A Sinkhorn run that hit the cap still bounds the ratio from below when the cap is >= 10x
      // SNS's iterations and the capped run was already slower (no ratio is printed for it).
      const capBound =
        s.converged && !k.converged && sinkhornCap >= iterationRatio * snsIterations && sinkhornMs > snsMs;
      const holds = (bothConverged && (ratio as number) >= iterationRatio && snsMs < sinkhornMs) || capBound;
      if (sparse) {
        inRegime++;
        if (holds) winsInRegime++;
      } else if (holds) winsOutside++;
      if (index === 0) paperHolds = holds;
      rows.push({
        case: c.name,
        "in the paper's sparse regime": sparse,
        [`entries for ${massFraction * 100}% of the mass / n`]: Number((needed / c.cost.rows).toFixed(1)),
        'SNS λ·n (kept entries / n)': Number((kept / c.cost.rows).toFixed(1)),
        'SNS iterations': `${s.sinkhornIterations} + ${s.newtonIterations}`,
        'SNS status': s.status,
        [`SNS at λ = ${regimeEntriesPerRow}/n`]: denser
          ? `${denser.sinkhornIterations} + ${denser.newtonIterations} (${denser.status})`
          : '(same λ)',
        'SNS CG iterations': s.cgIterations,
        'SNS ms': Number(snsMs.toFixed(1)),
        'SNS warm-up ms': Number((s.trace.elapsedMs[0] ?? Number.NaN).toFixed(1)),
        'Sinkhorn sweeps': k.converged ? k.iterations : `> ${k.iterations} (cap, not converged)`,
        'Sinkhorn status': k.status,
        'Sinkhorn ms': Number(sinkhornMs.toFixed(1)),
        'iteration ratio': ratio === undefined ? '—' : Number(ratio.toFixed(1)),
        'time ratio': bothConverged ? Number((sinkhornMs / snsMs).toFixed(2)) : '—',
        repeats: snsTimes.length,
        'claim holds': holds,
      });
      series.push({
        name: `SNS, ${c.name}`,
        plot: 'convergence',
        x: s.trace.iteration,
        y: s.trace.metrics.error,
      });
      series.push({
        name: `Sinkhorn, ${c.name}`,
        plot: 'convergence',
        x: k.trace.iteration,
        y: k.trace.metrics.error,
      });
    }
    const majority = Math.floor(inRegime / 2) + 1;
    const outside = cases.length - inRegime;
    return {
      rows,
      series,
      plots: {
        convergence: {
          title: 'Marginal error ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁',
          xLabel: 'iteration (Sinkhorn sweeps; SNS: warm-up sweeps + Newton steps)',
          yLabel: 'marginal error',
          logX: true,
          logY: true,
        },
      },
      verdict: verdictFrom({
        value: inRegime === 0 ? undefined : winsInRegime,
        holds: inRegime > 0 && winsInRegime >= majority,
        measured:
          inRegime === 0
            ? `no problem lies in the paper's sparse regime at this size (SNS wins on ${winsOutside} of ${outside} outside it)`
            : `SNS >= ${iterationRatio}x fewer iterations and faster on ${winsInRegime} of ${inRegime} problems in the sparse regime (the paper's setting: ${paperHolds ? 'holds' : 'does not hold'}); outside it, on ${winsOutside} of ${outside}`,
        threshold: `the majority of the problems in the sparse regime (>= ${majority} of ${inRegime})`,
      }),
      notes: [
        `Both methods stop on the same test, ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ <= ${tolerance}. Sinkhorn is POT's stabilized method (the log-domain iterates at kernel speed), checked every 10 sweeps, capped at ${sinkhornCap} sweeps; a capped run gets no ratio, and counts for the claim only as a lower bound (cap >= ${iterationRatio}x SNS's iterations and slower).`,
        `SNS is the paper's method with its reported defaults: N₁ = 20 stabilized Sinkhorn sweeps (700 for the W1 cost), λ = 2/n of the entries of P (15/n for W1), the gradient projected off the null vector, inexact-Newton CG (min(0.1, √‖g‖)), Armijo line search; no adaptive density, no Levenberg shift.`,
        `Times are medians of up to ${maxRepeats} interleaved repeats (alternating order) after a JIT warm-up, time-to-tolerance (each call returns when its tolerance is met).`,
        `"In the paper's sparse regime" is measured on the solution plan: the entries holding ${massFraction * 100}% of its mass number at most ${regimeEntriesPerRow}n (the λ = ${regimeEntriesPerRow}/n at which SNS reproduces the paper's Newton counts on its own setting; λ counts entries of P). Problems that need more (smooth densities and point clouds at these regularizations can need 15-75n) lie outside the regime the paper's analysis assumes; they are reported but do not count for the verdict. The column "SNS at λ = ${regimeEntriesPerRow}/n" shows what a denser Hessian does (untimed).`,
        full
          ? "Full size: the paper's Table 1 setting (n = 500, η = 1200; the paper reports 20 + 9 SNS iterations against 56,199 Sinkhorn sweeps)."
          : `Quick size: n = ${n} with ε ${scale}x larger than at full size (the paper's setting becomes n = ${n}, η = ${eta}), so the test runs in seconds; run \`argmin repro ot/sns-vs-sinkhorn --size full\` for the paper's setting.`,
        'Costs are normalized to max 1 for point clouds; grid costs live on [0, 1]^d.',
      ],
    };
  },
});

export const otExperiments = [snsVsSinkhornExperiment] as const;
