import { createRng, type ExperimentContext, type ExperimentReport, runExperiment } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { adahessianVsAdamSizes, runAdahessianVsAdam } from './adahessian-vs-adam';
import {
  largeStepSizes,
  lastIterateSizes,
  runLargeStep,
  runLastIterate,
  stochasticExperiments,
} from './experiments';
import { mfacIhvpSizes, runMfacIhvp } from './m-fac-ihvp';
import { runScheduleRefinement, scheduleRefinementSizes } from './schedule-refinement';

/**
 * Every experiment runs in CI and its verdict is checked against its own rows. The five that take
 * longer than a few seconds at the size `pnpm repro` uses run here at their reduced `test` size (same
 * code, smaller problems); the others run at the quick size.
 */
const testContext = (): ExperimentContext => ({
  seed: 0,
  rng: createRng(0),
  progress: () => undefined,
  size: 'quick',
});
let adahessianReport: ExperimentReport | undefined;
const adahessianAtTestSize = () => {
  adahessianReport ??= runAdahessianVsAdam(testContext(), adahessianVsAdamSizes.test);
  return adahessianReport;
};
const reduced: Record<string, () => ExperimentReport> = {
  'stochastic/adahessian-vs-adam': adahessianAtTestSize,
  'stochastic/m-fac-ihvp': () => runMfacIhvp(testContext(), mfacIhvpSizes.test),
  'stochastic/large-step-lr': () => runLargeStep(testContext(), largeStepSizes.test),
  'stochastic/last-iterate': () => runLastIterate(testContext(), lastIterateSizes.test),
  'stochastic/schedule-refinement': () => runScheduleRefinement(testContext(), scheduleRefinementSizes.test),
};
const report = async (id: string): Promise<ExperimentReport> => {
  const experiment = stochasticExperiments.find((e) => e.id === id);
  if (!experiment) throw new Error(`no experiment ${id}`);
  return reduced[id]?.() ?? runExperiment(experiment, { seed: 0 });
};

describe('experiments compute their verdicts from their measurements', () => {
  for (const experiment of stochasticExperiments) {
    it(`${experiment.id}${reduced[experiment.id] ? ' (test size)' : ''}`, async () => {
      const result = await report(experiment.id);
      expect(['reproduced', 'not-reproduced']).toContain(result.verdict.status);
      expect(result.rows.length).toBeGreaterThan(0);
      expect(result.verdict.measured.length).toBeGreaterThan(10);
    });
  }

  it('adahessian-vs-adam: the verdict follows the best epochs and the learning-rate spreads in its rows', () => {
    const result = adahessianAtTestSize();
    const epochs = (method: string) =>
      Math.min(
        ...result.rows
          .filter((r) => r.problem === 'logistic (seed 0)' && r.method === method)
          .map((r) => (typeof r['epochs to target'] === 'number' ? r['epochs to target'] : Infinity)),
      );
    const counts = (method: string) =>
      result.rows
        .filter((r) => r.problem === 'diagonal quadratic' && r.method === method)
        .map((r) => (typeof r['epochs to target'] === 'number' ? r['epochs to target'] : 20000));
    const spread = (v: number[]) => Math.max(...v) / Math.min(...v);
    const holds =
      epochs('AdaHessian') < epochs('Adam') &&
      spread(counts('AdaHessian')) < 1.5 &&
      spread(counts('Adam')) > 10;
    expect(result.verdict.status).toBe(holds ? 'reproduced' : 'not-reproduced');
    // The minibatch rows report a finite relative gap for each of the three arms.
    const gaps = result.rows.filter((r) => typeof r['relative gap'] === 'number');
    expect(gaps.map((r) => r.method)).toEqual([
      'AdaHessian, Hz on the batch',
      'AdaHessian, Hz on all data',
      'Adam',
    ]);
    for (const row of gaps) expect(row['relative gap']).toBeGreaterThan(0);
  });
  it('the reduced sizes are smaller than the quick ones and quick keeps the claim’s sizes', () => {
    expect(adahessianVsAdamSizes.quick.samples).toBe(1000);
    expect(adahessianVsAdamSizes.quick.seeds).toBe(3);
    expect(adahessianVsAdamSizes.test.samples).toBeLessThan(adahessianVsAdamSizes.quick.samples);
    expect(mfacIhvpSizes.quick.dimension).toBe(200);
    expect(mfacIhvpSizes.quick.timedDimensions.at(-1)).toBe(300_000);
    expect(largeStepSizes.quick.samples).toBe(1000);
    expect(lastIterateSizes.quick.horizons.at(-1)).toBe(10_000);
    expect(scheduleRefinementSizes.quick).toEqual({ samples: 2000, seeds: 3 });
  });
});
